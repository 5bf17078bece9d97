#!/usr/bin/python3
"""make_act16_model.py: builds tests/quant/act16/act16.onnx, a small CNN whose
operators are the nonlinear ones of the int16x8 scheme (table lookups and
softmax), for tests/quant/kws_16x8_test.cpp:

    input [1, 1, 20, 10]
    Conv 3x3 pad 1 -> 8 ch, Tanh
    Conv 3x3 stride 2 -> 8 ch, Sigmoid
    GlobalAveragePool, Flatten, Gemm (8 -> 6), Softmax

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
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)
        self.fc = nn.Linear(8, 6)

    def forward(self, x):
        x = torch.tanh(self.conv1(x))
        x = torch.sigmoid(self.conv2(x))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return torch.softmax(self.fc(x) * 4.0, dim=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()
    torch.manual_seed(16)
    model = Act16().eval()
    path = os.path.join(args.out, "act16.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 20, 10), path, opset_version=13, input_names=["input"],
                      output_names=["probs"])
    print(f"{path}: {os.path.getsize(path)} bytes")
    os.makedirs(os.path.join(args.out, "calib"), exist_ok=True)
    calib = np.random.default_rng(16).standard_normal((32, 1, 1, 20, 10)).astype(np.float32)
    np.save(os.path.join(args.out, "calib", "input.npy"), calib)


if __name__ == "__main__":
    sys.exit(main())
