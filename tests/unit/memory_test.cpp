// memory_test.cpp: the memory planner (passes/memory/): placement algorithms
// on random lifetimes, and liveness + placement on random graphs, checked by
// an independent model of which tensors are alive at each node.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "ir/printer.h"
#include "onnx_text.h"
#include "passes/memory/liveness.h"
#include "passes/memory/placement.h"
#include "ops/op_def.h"
#include "passes/memory/plan_memory.h"

using namespace tmlc;

namespace {

bool timesOverlap(const Buffer& a, const Buffer& b) { return a.first <= b.last && b.first <= a.last; }
bool bytesOverlap(const Buffer& a, const Buffer& b) {
  return a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
}

std::vector<Buffer> randomBuffers(std::mt19937& rng, int count, int steps) {
  std::uniform_int_distribution<int> pos(0, steps - 1), len(0, 6);
  std::uniform_int_distribution<int64_t> size(1, 4096);
  std::vector<Buffer> bufs(static_cast<size_t>(count));
  for (Buffer& b : bufs) {
    b.first = pos(rng);
    b.last = std::min(steps - 1, b.first + len(rng));
    b.bytes = size(rng);
  }
  return bufs;
}

// No two buffers alive at the same time share a byte; all aligned and inside.
void checkPlacement(const std::vector<Buffer>& bufs, int64_t arena) {
  CHECK(arena % kArenaAlignment == 0);
  for (size_t i = 0; i < bufs.size(); ++i) {
    const Buffer& a = bufs[i];
    REQUIRE(a.offset >= 0);
    CHECK(a.offset % kArenaAlignment == 0);
    CHECK(a.offset + a.bytes <= arena);
    for (size_t j = i + 1; j < bufs.size(); ++j) {
      const Buffer& b = bufs[j];
      if (timesOverlap(a, b) && bytesOverlap(a, b)) {
        FAIL_CHECK("buffers " << i << " [" << a.first << "," << a.last << "] @" << a.offset << "+" << a.bytes
                              << " and " << j << " [" << b.first << "," << b.last << "] @" << b.offset << "+"
                              << b.bytes << " overlap");
      }
    }
  }
}

// Bytes alive at the busiest step: no valid placement can be smaller.
int64_t peakLiveBytes(const std::vector<Buffer>& bufs) {
  int last = 0;
  for (const Buffer& b : bufs) last = std::max(last, b.last);
  int64_t peak = 0;
  for (int t = 0; t <= last; ++t) {
    int64_t s = 0;
    for (const Buffer& b : bufs)
      if (b.first <= t && t <= b.last) s += b.bytes;
    peak = std::max(peak, s);
  }
  return peak;
}

}  // namespace

TEST_CASE("placement: no overlap, alignment, greedy <= linear on random lifetimes", "[memory]") {
  std::mt19937 rng(12345);
  for (int trial = 0; trial < 200; ++trial) {
    INFO("trial " << trial);
    const int count = 1 + trial % 40;
    std::vector<Buffer> greedy = randomBuffers(rng, count, 1 + count / 2), linear = greedy;
    auto ga = placeBuffers(greedy, "greedy");
    auto la = placeBuffers(linear, "linear");
    REQUIRE(ga);
    REQUIRE(la);
    checkPlacement(greedy, *ga);
    checkPlacement(linear, *la);
    CHECK(*ga <= *la);
    CHECK(*ga >= peakLiveBytes(greedy));
  }
}

TEST_CASE("placement: buffers that never coexist share the same bytes", "[memory]") {
  std::vector<Buffer> bufs(3);
  bufs[0].first = 0, bufs[0].last = 1, bufs[0].bytes = 100;
  bufs[1].first = 1, bufs[1].last = 2, bufs[1].bytes = 100;
  bufs[2].first = 2, bufs[2].last = 3, bufs[2].bytes = 100;
  auto a = placeBuffers(bufs, "greedy");
  REQUIRE(a);
  checkPlacement(bufs, *a);
  CHECK(bufs[0].offset == bufs[2].offset);  // 0 and 2 never coexist
  CHECK(*a == 224);                          // two 100-byte buffers, the second 16-aligned
}

TEST_CASE("placement: a 1-byte buffer still gets an aligned slot", "[memory]") {
  std::vector<Buffer> bufs(3);
  for (Buffer& b : bufs) b.first = 0, b.last = 0, b.bytes = 1;
  auto a = placeBuffers(bufs, "greedy");
  REQUIRE(a);
  checkPlacement(bufs, *a);
  CHECK(*a == 48);
}

TEST_CASE("placement: empty input and unknown algorithm", "[memory]") {
  std::vector<Buffer> none;
  auto a = placeBuffers(none, "greedy");
  REQUIRE(a);
  CHECK(*a == 0);
  auto bad = placeBuffers(none, "best-fit-magic");
  REQUIRE_FALSE(bad);
  CHECK(bad.status().message().find("unknown memory planner 'best-fit-magic'") != std::string::npos);
}

// ------------------------------------------------------------ random graphs

namespace {

// A random DAG of Relu/Add (kernels) and Reshape/Identity (aliases) over
// float tensors of random sizes, with a few graph outputs.
std::unique_ptr<Graph> randomGraph(std::mt19937& rng, int numNodes) {
  auto g = std::make_unique<Graph>();
  std::uniform_int_distribution<int64_t> size(1, 300);
  auto f32 = [](int64_t n) { return TensorType{DType::Float32, {n}, std::nullopt}; };
  std::vector<Value*> avail;
  for (int i = 0; i < 2; ++i) {
    Value* in = g->addValue("in" + std::to_string(i), f32(size(rng)));
    in->graphInput = i;
    g->inputs.push_back(in);
    avail.push_back(in);
  }
  Value* shape = g->addConstant("shape", Tensor::fromInts(DType::Int64, {1}, {-1}));
  for (int k = 0; k < numNodes; ++k) {
    // Prefer recent values so that chains form, but reach back sometimes.
    std::uniform_int_distribution<size_t> pickRecent(avail.size() > 3 ? avail.size() - 3 : 0, avail.size() - 1);
    std::uniform_int_distribution<size_t> pickAny(0, avail.size() - 1);
    auto pick = [&]() { return (rng() % 4 == 0) ? avail[pickAny(rng)] : avail[pickRecent(rng)]; };
    const std::string nm = "n" + std::to_string(k);
    Value* x = pick();
    switch (rng() % 4) {
      case 0: {
        Value* y = g->addValue(nm, f32(size(rng)));
        g->addNode(OpKind::Relu, nm, {x}, {y});
        avail.push_back(y);
        break;
      }
      case 1: {
        Value* y = g->addValue(nm, f32(size(rng)));
        g->addNode(OpKind::Add, nm, {x, pick()}, {y});
        avail.push_back(y);
        break;
      }
      case 2: {
        Value* y = g->addValue(nm, x->type);
        g->addNode(OpKind::Reshape, nm, {x, shape}, {y});
        avail.push_back(y);
        break;
      }
      default: {
        Value* y = g->addValue(nm, x->type);
        g->addNode(OpKind::Identity, nm, {x}, {y});
        avail.push_back(y);
        break;
      }
    }
  }
  // The last value and a few random node outputs are graph outputs.
  std::vector<Value*> outs = {avail.back()};
  for (int i = 0; i < 2; ++i) {
    Value* v = avail[2 + rng() % (avail.size() - 2)];
    if (std::find(outs.begin(), outs.end(), v) == outs.end()) outs.push_back(v);
  }
  for (Value* v : outs) {
    v->graphOutput = static_cast<int>(g->outputs.size());
    g->outputs.push_back(v);
  }
  g->rebuildUsers();
  return g;
}

// The test's own model of storage: a Reshape/Identity output that is not a
// graph output shares its input's storage; a graph output or graph input is
// the caller's buffer; a constant is flash; anything else needs arena bytes.
const Value* storageOf(const Value* v) {
  while (v->producer && (v->producer->kind == OpKind::Reshape || v->producer->kind == OpKind::Identity) &&
         v->graphOutput < 0)
    v = v->producer->inputs[0];
  return v;
}
bool inArena(const Value* s) { return s->producer && s->graphOutput < 0 && !s->isConstant(); }

// A value computed here that a graph output views (through Reshape/Identity)
// lives in that output's buffer instead: the first such output in node order.
std::map<const Value*, const Value*> outputOwners(const Graph& g) {
  std::map<const Value*, const Value*> owner;
  for (const auto& n : g.nodes) {
    const Value* o = n->outputs[0];
    if ((n->kind != OpKind::Reshape && n->kind != OpKind::Identity) || o->graphOutput < 0) continue;
    const Value* s = storageOf(n->inputs[0]);
    if (inArena(s) && !owner.count(s)) owner[s] = o;
  }
  return owner;
}
const Value* placedIn(const Value* v) {
  while (v->place.kind == Placement::Kind::Alias) v = v->place.base;
  return v;
}

}  // namespace

TEST_CASE("plan-memory on random graphs: tensors alive together never share bytes", "[memory]") {
  std::mt19937 rng(777);
  for (int trial = 0; trial < 150; ++trial) {
    auto g = randomGraph(rng, 3 + trial % 30);
    INFO("trial " << trial << "\n" << printGraph(*g));
    std::map<const Node*, int> pos;
    for (size_t i = 0; i < g->nodes.size(); ++i) pos[g->nodes[i].get()] = static_cast<int>(i);

    // Independent lifetimes: from the producer to the last reader of any value
    // stored there.
    const std::map<const Value*, const Value*> owner = outputOwners(*g);
    std::map<const Value*, std::pair<int, int>> life;
    for (const auto& n : g->nodes)
      for (const Value* o : n->outputs)
        if (inArena(storageOf(o)) && storageOf(o) == o && !owner.count(o)) life[o] = {pos[n.get()], pos[n.get()]};
    for (const auto& n : g->nodes)
      for (const Value* i : n->inputs) {
        const Value* s = storageOf(i);
        if (life.count(s)) life[s].second = std::max(life[s].second, pos[n.get()]);
      }

    auto arena = planMemory(*g, PassOptions{});
    REQUIRE(arena);
    CHECK(*arena % kArenaAlignment == 0);
    for (const auto& v : g->values) {
      const Value* s = storageOf(v.get());
      if (owner.count(s)) {
        // Written into the output buffer that views it.
        REQUIRE(v->place.kind == Placement::Kind::Alias);
        CHECK(placedIn(v.get()) == owner.at(s));
      } else if (inArena(s) && s == v.get()) {
        REQUIRE(v->place.kind == Placement::Kind::Arena);
        CHECK(v->place.offset % kArenaAlignment == 0);
        CHECK(v->place.offset + static_cast<int64_t>(v->type.bytes()) <= *arena);
      } else if (inArena(s)) {
        // An alias resolves to the value that owns the bytes.
        REQUIRE(v->place.kind == Placement::Kind::Alias);
        CHECK(v->place.base == s);
      } else if (v->graphOutput >= 0 && v->producer) {
        CHECK(v->place.kind == Placement::Kind::Output);
      }
    }
    for (auto a = life.begin(); a != life.end(); ++a)
      for (auto b = std::next(a); b != life.end(); ++b) {
        bool together = a->second.first <= b->second.second && b->second.first <= a->second.second;
        int64_t ao = a->first->place.offset, bo = b->first->place.offset;
        int64_t ae = ao + int64_t(a->first->type.bytes()), be = bo + int64_t(b->first->type.bytes());
        if (together && ao < be && bo < ae)
          FAIL_CHECK("'" << a->first->name << "' and '" << b->first->name << "' overlap in the arena");
      }
  }
}

TEST_CASE("plan-memory: a reshaped tensor keeps its bytes until the reshape's last reader",
          "[memory][alias]") {
  // a -> r = Reshape(a) ... b, c, d computed ... Y = Add(r, d): a's bytes
  // must survive until the Add even though a itself is read only by Reshape.
  auto g = tmlc_test::importText(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[64] X, int64[2] s = {8, 8}, int64[1] f = {64}) => (float[64] Y) {
      a = Relu(X)
      r = Reshape(a, s)
      b = Sigmoid(X)
      c = Tanh(b)
      d = Relu(c)
      rf = Reshape(r, f)
      Y = Add(rf, d)
    })");
  auto bufs = computeLiveness(*g);
  const Value* a = g->findValue("a");
  const Value* r = g->findValue("r");
  const Value* rf = g->findValue("rf");
  CHECK(r->place.kind == Placement::Kind::Alias);
  CHECK(r->place.base == a);
  CHECK(rf->place.base == a);  // an alias of an alias points at the owner
  const Buffer* ba = nullptr;
  for (const Buffer& b : bufs)
    if (b.value == a) ba = &b;
  REQUIRE(ba != nullptr);
  CHECK(ba->first == 0);
  CHECK(ba->last == 6);  // the Add
  for (const Buffer& b : bufs) CHECK((b.value != r && b.value != rf));

  auto arena = planMemory(*g, PassOptions{});
  REQUIRE(arena);
  // a lives through b, c and d; a, b and c are alive together at the Tanh.
  for (const char* other : {"b", "c", "d"}) {
    const Value* o = g->findValue(other);
    int64_t ao = a->place.offset, oo = o->place.offset;
    CHECK((ao + 256 <= oo || oo + 256 <= ao));
  }
  CHECK(*arena >= 3 * 256);
}

TEST_CASE("plan-memory: the linear planner is selectable and never smaller", "[memory]") {
  std::mt19937 rng(4242);
  for (int trial = 0; trial < 30; ++trial) {
    auto g1 = randomGraph(rng, 20);
    auto greedy = planMemory(*g1, PassOptions{});
    PassOptions lin;
    lin.planner = "linear";
    auto linear = planMemory(*g1, lin);
    REQUIRE(greedy);
    REQUIRE(linear);
    CHECK(*greedy <= *linear);
  }
}

TEST_CASE("plan-memory: a kernel's scratch space overlaps nothing alive during the kernel",
          "[memory][scratch]") {
  // LSTM needs scratch for its gates; its input and output live in the arena.
  auto g = tmlc_test::importText(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[3,1,2] X, float[1,8,2] W = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16},
       float[1,8,2] R = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16}) => (float[3,1,1,2] Y) {
      a = Relu (X)
      h = LSTM <hidden_size = 2> (a, W, R)
      Y = Sigmoid (h)
    })");
  auto arena = planMemory(*g, PassOptions{});
  REQUIRE(arena);
  std::map<const Node*, int> pos;
  for (size_t i = 0; i < g->nodes.size(); ++i) pos[g->nodes[i].get()] = static_cast<int>(i);
  int scratchNodes = 0;
  for (const auto& n : g->nodes) {
    const OpDef& def = opDef(n->kind);
    const int64_t bytes = def.scratch ? static_cast<int64_t>(def.scratch(*n)) : 0;
    if (bytes <= 0) continue;
    ++scratchNodes;
    REQUIRE(n->scratchOffset >= 0);
    CHECK(n->scratchOffset % kArenaAlignment == 0);
    CHECK(n->scratchOffset + bytes <= *arena);
    // Every arena value this node reads or writes is alive while it runs.
    std::vector<const Value*> live;
    for (const Value* v : n->inputs) if (v) live.push_back(v);
    for (const Value* v : n->outputs) if (v) live.push_back(v);
    for (const Value* v : live) {
      while (v->place.kind == Placement::Kind::Alias) v = v->place.base;
      if (v->place.kind != Placement::Kind::Arena) continue;
      const int64_t vo = v->place.offset, ve = vo + static_cast<int64_t>(v->type.bytes());
      CHECK((ve <= n->scratchOffset || n->scratchOffset + bytes <= vo));
    }
  }
  CHECK(scratchNodes == 1);
}
