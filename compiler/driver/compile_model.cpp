#include "driver/compile_model.h"

#include "codegen/emit_context.h"
#include "codegen/emit_model.h"
#include "driver/budget.h"
#include "frontend/onnx_import.h"
#include "ir/printer.h"
#include "ops/op_def.h"
#include "passes/pipeline.h"
#include "targets/target.h"

namespace tmlc {

std::string defaultModelName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return sanitizeIdent(base);
}

namespace {
std::string jsonEscape(const std::string& s) {
  std::string r;
  for (char c : s) {
    if (c == '"' || c == '\\') r += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      r += ' ';
      continue;
    }
    r += c;
  }
  return r;
}

std::string report(const Graph& g, const CompileResult& r, const std::string& name, const std::string& target) {
  std::string j = "{\n  \"model\": \"" + jsonEscape(name) + "\",\n  \"target\": \"" + target +
                  "\",\n  \"arena_bytes\": " + std::to_string(r.arenaBytes) +
                  ",\n  \"weight_bytes\": " + std::to_string(r.weightBytes);
  int64_t total = 0;
  std::string nodes;
  for (const auto& n : g.nodes) {
    const OpDef& d = opDef(n->kind);
    int64_t m = d.macs ? d.macs(*n) : 0;
    total += m;
    const Value* y = nullptr;  // the first output present (LSTM may omit Y)
    for (const Value* o : n->outputs)
      if (o && !y) y = o;
    std::string shape = "[";
    if (y)
      for (size_t i = 0; i < y->type.shape.size(); ++i) shape += (i ? ", " : "") + std::to_string(y->type.shape[i]);
    shape += "]";
    std::string where = y && y->place.kind == Placement::Kind::Arena ? std::to_string(y->place.offset) : "null";
    nodes += std::string(nodes.empty() ? "" : ",\n") + "    {\"name\": \"" + jsonEscape(n->name) + "\", \"op\": \"" +
             opName(n->kind) + "\", \"output_shape\": " + shape + ", \"macs\": " + std::to_string(m) +
             ", \"arena_offset\": " + where + "}";
  }
  j += ",\n  \"macs\": " + std::to_string(total) + ",\n  \"nodes\": [\n" + nodes + "\n  ]\n}\n";
  return j;
}
}  // namespace

Expected<CompileResult> compileModel(const CompileOptions& opts) {
  CompileResult r;
  auto loaded = loadTarget(opts.target);
  if (!loaded) return loaded.status();
  const Target* target = *loaded;
  ImportOptions io;
  io.shapes = opts.shapes;
  io.constInputs = opts.constInputs;
  io.warnings = &r.warnings;
  auto g = importOnnx(opts.modelPath, io);
  if (!g) return g.status();
  Graph& graph = **g;
  const std::string name = opts.name.empty() ? defaultModelName(opts.modelPath) : opts.name;
  graph.name = name;

  PipelineOptions po;
  po.pass.planner = opts.planner;
  po.pass.warnings = &r.warnings;
  po.pass.quant = opts.quant;
  po.printIrAfter = opts.printIrAfter;
  po.irLog = &r.irLog;
  if (opts.printIrAfter == "import" || opts.printIrAfter == "all") r.irLog += "// IR after import\n" + printGraph(graph);
  auto arena = runPipeline(graph, po);
  if (!arena) {
    const std::string& m = arena.status().message();
    if (m.rfind(opts.modelPath, 0) == 0 || m.rfind("internal", 0) == 0) return arena.status();
    return Status::error(opts.modelPath + ": " + m);
  }

  EmitOptions eo;
  eo.name = name;
  size_t slash = opts.modelPath.find_last_of('/');
  eo.sourceName = slash == std::string::npos ? opts.modelPath : opts.modelPath.substr(slash + 1);
  eo.target = target->name;
  auto em = emitModel(graph, *arena, eo);
  if (!em) return em.status();
  r.header = std::move(em->header);
  r.source = std::move(em->source);
  r.arenaBytes = em->arenaBytes;
  r.weightBytes = em->weightBytes;
  r.reportJson = report(graph, r, name, target->name);

  // Does it fit the part? Checked before anything is built (driver/budget.h).
  const MemoryEstimate mem = estimateMemory(graph, r.arenaBytes, r.weightBytes, *target);
  r.flashEstimate = mem.flash();
  r.ramEstimate = mem.ram();
  r.flashBudget = opts.flashBudget >= 0 ? opts.flashBudget : target->flashBytes;
  r.ramBudget = opts.ramBudget >= 0 ? opts.ramBudget : target->ramBytes;
  TMLC_RETURN_IF_ERROR(checkBudget(graph, mem, r.flashBudget, r.ramBudget, target->name, opts.modelPath));
  size_t end = r.reportJson.rfind("\n}");
  if (end != std::string::npos)
    r.reportJson.insert(end, ",\n  \"memory\": {\"flash_estimate\": " + std::to_string(r.flashEstimate) +
                                 ", \"ram_estimate\": " + std::to_string(r.ramEstimate) +
                                 ", \"flash_budget\": " + std::to_string(r.flashBudget) +
                                 ", \"ram_budget\": " + std::to_string(r.ramBudget) + "}");
  r.graph = std::move(*g);
  return r;
}

}  // namespace tmlc
