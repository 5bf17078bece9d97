// status.h: error values for the compiler, without exceptions across the API.
//
// A Status is either ok or carries one diagnostic line. User errors (bad model,
// unsupported operator) and internal invariant failures are kept apart:
// userError() reads "error: ...", internalError() reads
// "internal compiler error: ..." and names the source location.
// Expected<T> is a value or a Status.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace tmlc {

class Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool isOk() const { return !message_.has_value(); }
  explicit operator bool() const { return isOk(); }
  const std::string& message() const { return *message_; }

 private:
  explicit Status(std::string m) : message_(std::move(m)) {}
  std::optional<std::string> message_;
};

template <typename T>
class Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Status status) : status_(std::move(status)) {}  // NOLINT
  bool isOk() const { return value_.has_value(); }
  explicit operator bool() const { return isOk(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const Status& status() const { return status_; }

 private:
  std::optional<T> value_;
  Status status_;
};

// Formats "internal compiler error: FILE:LINE: msg".
Status internalErrorAt(const char* file, int line, const std::string& msg);

}  // namespace tmlc

#define TMLC_INTERNAL_ERROR(msg) ::tmlc::internalErrorAt(__FILE__, __LINE__, (msg))
#define TMLC_RETURN_IF_ERROR(expr)        \
  do {                                    \
    ::tmlc::Status _st = (expr);          \
    if (!_st.isOk()) return _st;          \
  } while (0)
