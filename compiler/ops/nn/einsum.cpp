// einsum.cpp: Einsum for one to three operands: explicit ("ij,jk->ik") and
// implicit ("ij,jk": the labels used once, sorted) outputs, repeated labels
// in one operand (diagonals, "ii->i"), summation of labels the output lacks,
// and "..." broadcasting (right-aligned, size-1 dims broadcast).
// The equation is resolved here into strides; kernel:
// runtime/include/tmlc/kernels/einsum.h.
#include <algorithm>
#include <map>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/einsum.h"

namespace tmlc {

namespace {

// Labels: letters are their character codes; the ellipsis's dims are
// 1000 + k, k counted from the right, so that broadcasting aligns them.
constexpr int kEllipsis = 1000;

struct Term {
  std::vector<int> labels;  // one per axis
};

Expected<Term> parseTerm(const std::string& s, size_t rank) {
  Term t;
  size_t dots = s.find("...");
  std::string before = dots == std::string::npos ? s : s.substr(0, dots);
  std::string after = dots == std::string::npos ? "" : s.substr(dots + 3);
  auto letters = [](const std::string& x, std::vector<int>& out) {
    for (char c : x) {
      if (c == ' ') continue;
      if (!std::isalpha(static_cast<unsigned char>(c))) return false;
      out.push_back(static_cast<unsigned char>(c));
    }
    return true;
  };
  std::vector<int> pre, post;
  if (!letters(before, pre) || !letters(after, post) || after.find("...") != std::string::npos)
    return Status::error("equation term '" + s + "' is not valid");
  if (dots == std::string::npos) {
    if (pre.size() != rank)
      return Status::error("equation term '" + s + "' has " + std::to_string(pre.size()) +
                           " labels for an operand of rank " + std::to_string(rank));
    t.labels = pre;
    return t;
  }
  if (pre.size() + post.size() > rank) return Status::error("equation term '" + s + "' has too many labels");
  const size_t ell = rank - pre.size() - post.size();
  t.labels = pre;
  for (size_t k = 0; k < ell; ++k) t.labels.push_back(kEllipsis + static_cast<int>(ell - 1 - k));
  t.labels.insert(t.labels.end(), post.begin(), post.end());
  return t;
}

struct Plan {
  Shape outShape;
  tmlc::EinsumParams p{};
};

Expected<Plan> plan(const Node& n) {
  std::string eq = n.attrString("equation", "");
  eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<std::string> terms;
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (terms.size() != n.inputs.size())
    return Status::error("equation '" + eq + "' has " + std::to_string(terms.size()) + " operands, the node " +
                         std::to_string(n.inputs.size()));
  if (terms.size() > static_cast<size_t>(tmlc::kMaxOperands))
    return Status::error("Einsum of more than " + std::to_string(tmlc::kMaxOperands) + " operands is not supported");
  std::vector<Term> in;
  std::map<int, int64_t> dim;  // label -> extent
  std::map<int, int> uses;
  int maxEll = 0;
  for (size_t k = 0; k < terms.size(); ++k) {
    const Shape& s = n.input(k)->type.shape;
    auto t = parseTerm(terms[k], s.size());
    if (!t) return t.status();
    for (size_t a = 0; a < s.size(); ++a) {
      const int l = t->labels[a];
      if (l >= kEllipsis) maxEll = std::max(maxEll, l - kEllipsis + 1);
      auto it = dim.find(l);
      if (it == dim.end() || (l >= kEllipsis && it->second == 1)) {
        dim[l] = s[a];
      } else if (s[a] != it->second && !(l >= kEllipsis && s[a] == 1)) {
        return Status::error("label '" + (l >= kEllipsis ? std::string("...") : std::string(1, char(l))) +
                             "' has extents " + std::to_string(it->second) + " and " + std::to_string(s[a]));
      }
    }
    for (int l : t->labels) ++uses[l];
    in.push_back(*t);
  }
  std::vector<int> out;
  if (arrow == std::string::npos) {
    for (int k = maxEll - 1; k >= 0; --k) out.push_back(kEllipsis + k);
    for (const auto& u : uses)
      if (u.first < kEllipsis && u.second == 1) out.push_back(u.first);
  } else {
    const std::string rhs = eq.substr(arrow + 2);
    const size_t dots = rhs.find("...");
    for (size_t i = 0; i < rhs.size(); ++i) {
      if (dots != std::string::npos && i == dots) {
        for (int k = maxEll - 1; k >= 0; --k) out.push_back(kEllipsis + k);
        i += 2;
        continue;
      }
      const int l = static_cast<unsigned char>(rhs[i]);
      if (!std::isalpha(l) || !dim.count(l)) return Status::error("output label '" + rhs.substr(i, 1) + "' is not valid");
      if (std::count(out.begin(), out.end(), l)) return Status::error("output label repeats");
      out.push_back(l);
    }
  }
  std::vector<int> sum;
  for (const auto& d : dim)
    if (std::find(out.begin(), out.end(), d.first) == out.end()) sum.push_back(d.first);
  if (out.size() > static_cast<size_t>(tmlc::kMaxRank) || sum.size() > static_cast<size_t>(tmlc::kMaxRank))
    return Status::error("Einsum with more than " + std::to_string(tmlc::kMaxRank) + " output or summed labels is not supported");

  Plan pl;
  tmlc::EinsumParams& p = pl.p;
  p.operands = static_cast<int32_t>(in.size());
  p.out_rank = static_cast<int32_t>(out.size());
  p.sum_rank = static_cast<int32_t>(sum.size());
  for (size_t k = 0; k < in.size(); ++k) {
    const Shape& s = n.input(k)->type.shape;
    std::map<int, int64_t> stride;
    int64_t st = 1;
    for (size_t a = s.size(); a-- > 0;) {
      if (s[a] != 1 || dim[in[k].labels[a]] == 1) stride[in[k].labels[a]] += st;
      st *= s[a];
    }
    for (size_t d = 0; d < out.size(); ++d) p.out_strides[k][d] = static_cast<int32_t>(stride[out[d]]);
    for (size_t d = 0; d < sum.size(); ++d) p.sum_strides[k][d] = static_cast<int32_t>(stride[sum[d]]);
  }
  for (size_t d = 0; d < out.size(); ++d) {
    p.out_dims[d] = static_cast<int32_t>(dim[out[d]]);
    pl.outShape.push_back(dim[out[d]]);
  }
  for (size_t d = 0; d < sum.size(); ++d) p.sum_dims[d] = static_cast<int32_t>(dim[sum[d]]);
  return pl;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, static_cast<size_t>(tmlc::kMaxOperands)));
  const DType dt = n.input(0)->type.dtype;
  for (const Value* v : n.inputs)
    if (!v || v->type.dtype != dt) return Status::error("operands must all be present and of one type");
  if (!isFloat(dt) && !isInteger(dt)) return Status::error(std::string("Einsum of ") + dtypeName(dt) + " is not supported");
  if (!n.hasAttr("equation")) return Status::error("attribute 'equation' is missing");
  auto pl = plan(n);
  if (!pl) return pl.status();
  setOutput(n, 0, dt, pl->outShape);
  return Status::ok();
}

std::string printParams(const tmlc::EinsumParams& p) {
  auto arr = [](const int32_t* a, int32_t r) {
    std::string s = "{";
    for (int32_t d = 0; d < r; ++d) s += (d ? ", " : "") + std::to_string(a[d]);
    return s + "}";
  };
  std::string os = "{", ss = "{";
  for (int k = 0; k < tmlc::kMaxOperands; ++k) {
    os += (k ? ", " : "") + arr(p.out_strides[k], p.out_rank);
    ss += (k ? ", " : "") + arr(p.sum_strides[k], p.sum_rank);
  }
  return "{/*operands*/ " + std::to_string(p.operands) + ", /*out_rank*/ " + std::to_string(p.out_rank) +
         ", /*sum_rank*/ " + std::to_string(p.sum_rank) + ", /*out_dims*/ " + arr(p.out_dims, p.out_rank) +
         ", /*sum_dims*/ " + arr(p.sum_dims, p.sum_rank) + ", /*out_strides*/ " + os + "}, /*sum_strides*/ " + ss +
         "}}";
}

Status emit(EmitContext& ctx, const Node& n) {
  auto pl = plan(n);
  if (!pl) return pl.status();
  ctx.include("tmlc/kernels/einsum.h");
  const std::string name = ctx.params(n, "tmlc::EinsumParams", printParams(pl->p));
  ctx.call("tmlc::einsum<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.refOrNull(n.input(1)) + ", " + ctx.refOrNull(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status eval(const Node& n, std::vector<Tensor>& outs) {
  auto pl = plan(n);
  if (!pl) return pl.status();
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  bool ok = visitDType(y->type.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (!std::is_same<T, bool>::value) {
      const T* x[3] = {nullptr, nullptr, nullptr};
      for (size_t k = 0; k < n.inputs.size(); ++k) x[k] = n.input(k)->constant->data<T>();
      tmlc::einsum<T>(pl->p, x[0], x[1], x[2], out.data<T>());
    }
  });
  if (!ok || y->type.dtype == DType::Bool) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

int64_t macs(const Node& n) {
  auto pl = plan(n);
  if (!pl) return 0;
  int64_t m = 1;
  for (int32_t d = 0; d < pl->p.out_rank; ++d) m *= pl->p.out_dims[d];
  for (int32_t d = 0; d < pl->p.sum_rank; ++d) m *= pl->p.sum_dims[d];
  return m;
}

}  // namespace

extern const OpDef kOp_Einsum = {OpKind::Einsum, "", "Einsum", infer, emit, eval, nullptr, macs, false, false};

}  // namespace tmlc
