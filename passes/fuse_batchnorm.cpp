#include "passes/fuse_batchnorm.h"

#include <cmath>

namespace tmlc {

namespace {

bool allConstF32(const Node& bn) {
  for (size_t i = 1; i < 5; ++i) {
    const Value* v = bn.input(i);
    if (!v || !v->isConstant() || v->type.dtype != DType::Float32) return false;
  }
  return true;
}

// Output channel count and, for each weight element, its output channel.
// Conv W is [M, C/g, k...]: channel = index / (size / M).
// Gemm B is [K, N] (transB=0: channel = index % N) or [N, K] (transB=1: index / K).
bool channelOf(const Node& prod, const Tensor& w, int64_t& channels, std::vector<int64_t>& chan) {
  const int64_t n = w.numel();
  chan.resize(static_cast<size_t>(n));
  if (prod.kind == OpKind::Conv) {
    channels = w.shape[0];
    const int64_t per = n / channels;
    for (int64_t i = 0; i < n; ++i) chan[static_cast<size_t>(i)] = i / per;
    return true;
  }
  if (prod.kind == OpKind::Gemm) {
    if (w.shape.size() != 2 || prod.attrInt("transA", 0) != 0) return false;
    if (prod.attrFloat("alpha", 1.f) != 1.f || prod.attrFloat("beta", 1.f) != 1.f) return false;
    bool tb = prod.attrInt("transB", 0) != 0;
    channels = tb ? w.shape[0] : w.shape[1];
    for (int64_t i = 0; i < n; ++i)
      chan[static_cast<size_t>(i)] = tb ? i / w.shape[1] : i % w.shape[1];
    return true;
  }
  return false;
}

}  // namespace

Status fuseBatchNorm(Graph& g, const PassOptions&) {
  for (auto& np : g.nodes) {
    Node& bn = *np;
    if (bn.kind != OpKind::BatchNormalization || bn.dead || !allConstF32(bn)) continue;
    if (bn.outputs.size() > 1 && (bn.output(1) || bn.output(2))) continue;  // training outputs
    if (bn.attrInt("training_mode", 0) != 0) continue;  // batch statistics, not constants
    Value* x = bn.input(0);
    Node* prod = x->producer;
    if (!prod || (prod->kind != OpKind::Conv && prod->kind != OpKind::Gemm)) continue;
    if (x->users.size() != 1 || x->graphOutput >= 0 || prod->fused.kind != Act::None) continue;
    Value* wv = prod->input(1);
    if (!wv || !wv->isConstant() || wv->type.dtype != DType::Float32) continue;
    if (prod->input(2) && (!prod->input(2)->isConstant() || prod->input(2)->type.dtype != DType::Float32))
      continue;
    int64_t channels = 0;
    std::vector<int64_t> chan;
    if (!channelOf(*prod, *wv->constant, channels, chan)) continue;
    const Tensor &gamma = *bn.input(1)->constant, &beta = *bn.input(2)->constant,
                 &mean = *bn.input(3)->constant, &var = *bn.input(4)->constant;
    if (gamma.numel() != channels) continue;
    if (prod->kind == OpKind::Gemm && prod->input(2) && prod->input(2)->type.shape != Shape{channels} &&
        numElements(prod->input(2)->type.shape) != channels)
      continue;
    const float eps = bn.attrFloat("epsilon", 1e-5f);

    std::vector<float> scale(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c)
      scale[static_cast<size_t>(c)] =
          gamma.data<float>()[c] / std::sqrt(var.data<float>()[c] + eps);
    Tensor w = *wv->constant;
    for (int64_t i = 0; i < w.numel(); ++i) w.data<float>()[i] *= scale[static_cast<size_t>(chan[static_cast<size_t>(i)])];
    Tensor b = Tensor::zeros(DType::Float32, {channels});
    for (int64_t c = 0; c < channels; ++c) {
      float b0 = prod->input(2) ? static_cast<float>(prod->input(2)->constant->getDouble(c)) : 0.f;
      b.data<float>()[c] = (b0 - mean.data<float>()[c]) * scale[static_cast<size_t>(c)] + beta.data<float>()[c];
    }
    Value* nw = g.addConstant(g.uniqueValueName(wv->name + "_bnfused"), std::move(w));
    Value* nb = g.addConstant(g.uniqueValueName(prod->name + "_bias_bnfused"), std::move(b));
    prod->inputs[1] = nw;
    if (prod->inputs.size() < 3) prod->inputs.resize(3, nullptr);
    prod->inputs[2] = nb;
    // The producer now writes what the BN wrote.
    Value* y = bn.output(0);
    prod->outputs[0] = y;
    y->producer = prod;
    bn.dead = true;
  }
  g.compact();
  return Status::ok();
}

}  // namespace tmlc
