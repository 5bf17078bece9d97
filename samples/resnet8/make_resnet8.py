#!/usr/bin/python3
"""make_resnet8.py: builds the sample image classifier samples/resnet8/resnet8.onnx.

The ResNet-8 of MLPerf Tiny's image-classification benchmark (CIFAR-10): a
1x3x32x32 image in, 10 class probabilities out.

    Conv 3x3 -> 16 ch, BN, ReLU                                     [1,16,32,32]
    stage 1: [conv 3x3 16, BN, ReLU, conv 3x3 16, BN] + x, ReLU     [1,16,32,32]
    stage 2: [conv 3x3 32 stride 2, BN, ReLU, conv 3x3 32, BN]
             + conv 1x1 32 stride 2 (x), ReLU                       [1,32,16,16]
    stage 3: the same with 64 channels                              [1,64,8,8]
    AvgPool 8x8, Flatten, Linear(64, 10), Softmax                   [1,10]

12,501,632 multiply-accumulates; 77,706 parameters with BatchNormalization folded
(78,666 counting its four per channel, as MLPerf Tiny does).
The weights are random but seeded and realistic, not trained: see
samples/common/make_sample.py for how they and the inputs are made.

It writes, beside this script:
    resnet8.onnx                                   (opset 13, exported by PyTorch)
    data/test_data_set_N/input_0.pb, output_0.pb  (N = 0..3, ONNX backend layout)
with the reference outputs from ONNX Runtime (tools/ort/run_ort.js).

Usage: /usr/bin/python3 samples/resnet8/make_resnet8.py [--out DIR] [--sets N] [--seed S]
       /usr/bin/python3 samples/resnet8/make_resnet8.py --check DIR
           regenerate into DIR and compare with the committed files (a test)
"""
import os
import sys

from torch import nn

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
import make_sample  # noqa: E402  (samples/common/make_sample.py)


class Block(nn.Module):
    """Two 3x3 convolutions and the shortcut (identity, or a strided 1x1)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride=stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.bn2(self.conv2(nn.functional.relu(self.bn1(self.conv1(x)))))
        return nn.functional.relu(y + (self.shortcut(x) if self.shortcut is not None else x))


class ResNet8(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.bn = nn.BatchNorm2d(16)
        self.stages = nn.Sequential(Block(16, 16, 1), Block(16, 32, 2), Block(32, 64, 2))
        self.pool = nn.AvgPool2d(8)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64, classes)

    def logits(self, x):
        x = nn.functional.relu(self.bn(self.conv(x)))
        return self.fc(self.flatten(self.pool(self.stages(x))))

    def forward(self, x):
        return nn.functional.softmax(self.logits(x), dim=1)


def resnet8_macs():
    """Multiply-accumulates of one inference, BN folded (for the record)."""
    stem = 32 * 32 * 16 * 27
    s1 = 2 * 32 * 32 * 16 * 16 * 9
    s2 = 16 * 16 * 32 * (16 * 9 + 32 * 9 + 16)
    s3 = 8 * 8 * 64 * (32 * 9 + 64 * 9 + 32)
    return stem + s1 + s2 + s3 + 64 * 10


if __name__ == "__main__":
    sys.exit(make_sample.main("resnet8", ResNet8, (1, 3, 32, 32), resnet8_macs(), 2025, HERE))
