#!/usr/bin/python3
"""make_act16_model.py: builds tests/quant/act16/act16.onnx, a small CNN with
the operators of the int16x8 scheme that the DS-CNN and the digits CNN lack
(table lookups, softmax, a fused Clip, Concat, MaxPool, MatMul and an Add of a
constant), for tests/quant/int16x8_test.cpp and tests/quant/bitexact_test.cpp:

    input [1, 1, 16, 8]
    Conv 3x3 pad 1 -> 8 ch, Tanh                      a
    Conv 3x3 pad 1 -> 4 ch, Clip(0, 6)                b
    Concat(a, b) -> 12 ch, MaxPool 2x2
    Conv 3x3 stride 2 -> 8 ch, Sigmoid
    GlobalAveragePool, Flatten, MatMul (8 -> 6), Add bias, Mul 4, Softmax

Random but seeded weights (the file is reproducible); no training: the tests
compare the quantized builds with the float one, not with labels. Also writes
calib/input.npy, 32 seeded standard-normal inputs, the calibration samples of
tests/quant/bitexact_test.cpp.

Usage: /usr/bin/python3 tests/quant/act16/make_act16_model.py [--out DIR]
"""
import argparse
import os
import sys

import numpy as np
import torch
from torch import nn

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))


class Act16(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv1b = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(12, 8, 3, stride=2, padding=1)
        self.w = nn.Parameter(torch.randn(8, 6) * 0.5)
        self.b = nn.Parameter(torch.randn(6) * 0.1)

    def forward(self, x):
        a = torch.tanh(self.conv1(x))
        b = torch.clamp(self.conv1b(x), 0.0, 6.0)
        x = nn.functional.max_pool2d(torch.cat([a, b], dim=1), 2)
        x = torch.sigmoid(self.conv2(x))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return torch.softmax((torch.matmul(x, self.w) + self.b) * 4.0, dim=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()
    torch.manual_seed(16)
    model = Act16().eval()
    path = os.path.join(args.out, "act16.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 16, 8), path, opset_version=13, input_names=["input"],
                      output_names=["probs"])
    print(f"{path}: {os.path.getsize(path)} bytes")
    os.makedirs(os.path.join(args.out, "calib"), exist_ok=True)
    calib = np.random.default_rng(16).standard_normal((32, 1, 1, 16, 8)).astype(np.float32)
    np.save(os.path.join(args.out, "calib", "input.npy"), calib)


if __name__ == "__main__":
    sys.exit(main())
