#pragma once
namespace tmlc {
constexpr const char* kTmlcVersion = "0.1.0";
}
