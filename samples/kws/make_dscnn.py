#!/usr/bin/python3
"""make_dscnn.py: builds the sample keyword spotter samples/kws/kws.onnx.

An MLPerf-Tiny-style DS-CNN (the "DS-CNN small" of the keyword-spotting
benchmark): a 1x1x49x10 MFCC patch in, 12 class scores out.

    Conv 10x4 stride 2 (pad 5,1) -> 64 ch, BN, ReLU          [1,64,25,5]
    4x [depthwise 3x3 + BN + ReLU, pointwise 1x1 + BN + ReLU] [1,64,25,5]
    AvgPool 25x5, Flatten, Linear(64, 12)                    [1,12]

The model is exported as PyTorch writes it: BatchNormalization nodes kept
(tmlc folds them into the convolutions), the zero Pad PyTorch puts before
AveragePool, a Flatten before the Gemm.

The weights are random but seeded, so the file is reproducible; the
BatchNormalization statistics (measured on random inputs) and affine
parameters are far from the identity, so folding BN into Conv is exercised.

It writes, beside this script:
    kws.onnx                                   (opset 13, exported by PyTorch)
    data/test_data_set_N/input_0.pb, output_0.pb  (N = 0..2, ONNX backend layout)
The reference outputs come from ONNX Runtime (tools/ort/run_ort.js), not from
PyTorch; PyTorch's own output is compared with ONNX Runtime's and the largest
difference printed.

Usage: /usr/bin/python3 samples/kws/make_dscnn.py [--out DIR] [--sets N] [--seed S]
       /usr/bin/python3 samples/kws/make_dscnn.py --check DIR
           regenerate into DIR and compare with the committed files (a test)
"""
import argparse
import os
import sys

import numpy as np
import torch
from torch import nn

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "ort"))
import ort_data  # noqa: E402  (tools/ort/ort_data.py)


class DSCNN(nn.Module):
    def __init__(self, channels=64, classes=12, blocks=4):
        super().__init__()
        self.conv = nn.Conv2d(1, channels, (10, 4), stride=2, padding=(5, 1), bias=True)
        self.bn = nn.BatchNorm2d(channels)
        layers = []
        for _ in range(blocks):
            layers += [
                nn.Conv2d(channels, channels, 3, padding=1, groups=channels, bias=True),
                nn.BatchNorm2d(channels),
                nn.ReLU(),
                nn.Conv2d(channels, channels, 1, bias=True),
                nn.BatchNorm2d(channels),
                nn.ReLU(),
            ]
        self.blocks = nn.Sequential(*layers)
        self.pool = nn.AvgPool2d((25, 5))
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(channels, classes)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        x = self.blocks(x)
        return self.fc(self.flatten(self.pool(x)))


def initialize(model, gen):
    """Random weights that keep the signal alive through the layers (He
    initialization), then BatchNormalization with real statistics: measured in
    training mode over random inputs, so they are far from mean 0 / variance 1,
    and a random affine part (gamma, beta)."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            m.weight.data.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / fan_in) ** 0.5)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for m in bns:
        m.momentum = None  # cumulative average over the calibration batch
        m.weight.data.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
        m.bias.data.copy_(torch.randn(m.num_features, generator=gen) * 0.2)
    model.train()
    with torch.no_grad():
        model(torch.randn(64, 1, 49, 10, generator=gen))
    model.eval()


def build(seed):
    model = DSCNN()
    initialize(model, torch.Generator().manual_seed(seed))
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE, help="directory for kws.onnx and data/ (default: beside this script)")
    ap.add_argument("--sets", type=int, default=3, help="number of test data sets")
    ap.add_argument("--seed", type=int, default=2024, help="seed of the weights and of the inputs")
    ap.add_argument("--check", metavar="DIR", help="regenerate into DIR and compare with the committed files")
    args = ap.parse_args()
    if args.check:
        args.out = args.check

    model = build(args.seed)
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "kws.onnx")
    x0 = torch.zeros(1, 1, 49, 10)
    torch.onnx.export(model, x0, onnx_path, opset_version=13, input_names=["input"],
                      output_names=["output"], do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE)  # keep BatchNormalization nodes

    rng = np.random.default_rng(args.seed + 2)
    inputs = [rng.standard_normal((1, 1, 49, 10)).astype(np.float32) for _ in range(args.sets)]
    data_dir = os.path.join(args.out, "data")
    ort_outs = ort_data.write_reference(onnx_path, data_dir, [[x] for x in inputs], input_names=["input"])
    with torch.no_grad():
        torch_outs = [model(torch.from_numpy(x)).numpy() for x in inputs]
    diff = max(float(np.max(np.abs(t - o[0]))) for t, o in zip(torch_outs, ort_outs))
    macs = dscnn_macs()
    print(f"kws.onnx: {os.path.getsize(onnx_path)} bytes, {macs} MACs, {args.sets} data sets in {data_dir}")
    print(f"PyTorch vs ONNX Runtime: max abs diff {diff:.3g}")
    if diff > 1e-4:
        print("error: PyTorch and ONNX Runtime disagree", file=sys.stderr)
        return 1
    return check_same(args.out, HERE, args.sets) if args.check else 0


def check_same(new_dir, committed_dir, sets):
    """The committed model and data equal a fresh regeneration: same graph and
    weights, same inputs, outputs within float rounding of ONNX Runtime's."""
    problems = ort_data.compare_with_committed(new_dir, committed_dir, "kws.onnx", sets)
    for p in problems:
        print(f"error: committed samples/kws differs from a regeneration: {p}", file=sys.stderr)
    if not problems:
        print("committed kws.onnx and data match a fresh regeneration")
    return 1 if problems else 0


def dscnn_macs():
    """Multiply-accumulates of one inference, BN folded (for the record)."""
    conv = 64 * 25 * 5 * 10 * 4
    dw = 64 * 25 * 5 * 9
    pw = 64 * 25 * 5 * 64
    return conv + 4 * (dw + pw) + 64 * 12


if __name__ == "__main__":
    sys.exit(main())
