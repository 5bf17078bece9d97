// pipeline.cpp: the ordered list of passes. Each entry says why it sits where it does.
#include "passes/pipeline.h"

#include "ir/printer.h"
#include "passes/eliminate_dead_code.h"
#include "passes/fold_constants.h"
#include "passes/fold_pad.h"
#include "passes/fuse_activation.h"
#include "passes/fuse_batchnorm.h"
#include "passes/memory/plan_memory.h"
#include "passes/quantize/calibrate.h"
#include "passes/quantize/fold_qdq.h"
#include "passes/quantize/quantize.h"
#include "passes/quantize/split_activations.h"
#include "passes/verify.h"

namespace tmlc {

namespace {
struct PassEntry {
  const char* name;
  Status (*run)(Graph&, const PassOptions&);
};

const PassEntry kPipeline[] = {
    // Drop what no output needs, so later passes look at less.
    {"eliminate-dead-code", eliminateDeadCode},
    // QDQ models: QuantizeLinear/DequantizeLinear pairs become quantization in
    // the types (for passes/quantize/quantize.cpp), before constant folding
    // would evaluate the DequantizeLinear of weights and lose their scales.
    {"fold-qdq", foldQdq},
    // Evaluate constant subgraphs (Shape/Gather/Concat chains, Constant math)
    // so that shape inputs of Reshape and parameters of BN and Clip are known.
    {"fold-constants", foldConstants},
    {"eliminate-dead-code", eliminateDeadCode},
    // Pad by nothing, or zero padding the next Conv/AveragePool can do: needs
    // the pads folded to constants; before quantization, so the integer
    // kernels pad too.
    {"fold-pad", foldPad},
    // BN into Conv/Gemm needs constant BN parameters: after folding.
    {"fuse-batchnorm", fuseBatchNorm},
    // Activations into their producer: after BN fusion, so Conv+BN+Relu is one kernel.
    {"fuse-activation", fuseActivation},
    // Post-training quantization, only with --quantize (PassOptions::quant):
    // measure the fused float graph on the calibration samples, rewrite it into
    // integer operators, then drop the Dequantize nodes nothing float reads.
    {"split-activations", splitActivations},
    {"calibrate", calibrate},
    {"quantize", quantizeGraph},
    {"eliminate-dead-code", eliminateDeadCode},
};
}  // namespace

std::vector<std::string> pipelinePassNames() {
  std::vector<std::string> r;
  for (const PassEntry& p : kPipeline) r.push_back(p.name);
  r.push_back("plan-memory");
  return r;
}

Expected<int64_t> runPipeline(Graph& g, const PipelineOptions& opts) {
  for (const PassEntry& p : kPipeline) {
    TMLC_RETURN_IF_ERROR(p.run(g, opts.pass));
    TMLC_RETURN_IF_ERROR(verifyGraph(g, p.name));
    if (opts.irLog && (opts.printIrAfter == "all" || opts.printIrAfter == p.name))
      *opts.irLog += "// IR after " + std::string(p.name) + "\n" + printGraph(g);
  }
  auto arena = planMemory(g, opts.pass);
  if (arena && opts.irLog && (opts.printIrAfter == "all" || opts.printIrAfter == "plan-memory"))
    *opts.irLog += "// IR after plan-memory\n" + printGraph(g);
  return arena;
}

}  // namespace tmlc
