#!/usr/bin/python3
"""make_mobilenet.py: builds the sample person detector samples/mobilenet/mobilenet.onnx.

The MobileNetV1 with width multiplier 0.25 of MLPerf Tiny's visual-wake-words
benchmark: a 1x3x96x96 image in, 2 class probabilities (person / no person) out.

    Conv 3x3 stride 2 -> 8 ch, BN, ReLU                                [1,8,48,48]
    13x [depthwise 3x3 (stride 1 or 2) + BN + ReLU,
         pointwise 1x1 + BN + ReLU]: 16, 32s, 32, 64s, 64, 128s,
         5x 128, 256s, 256 channels (s: the depthwise has stride 2)   [1,256,3,3]
    AvgPool 3x3, Flatten, Linear(256, 2), Softmax                     [1,2]

7,489,664 multiply-accumulates; 210,850 parameters with BatchNormalization
folded (208,112 weights, 2,738 biases). The convolutions have no bias of their own (BN supplies it), as in
the Keras reference. The weights are random but seeded and realistic, not
trained: see samples/common/make_sample.py for how they and the inputs are made.

It writes, beside this script:
    mobilenet.onnx                                 (opset 13, exported by PyTorch)
    data/test_data_set_N/input_0.pb, output_0.pb  (N = 0..3, ONNX backend layout)
with the reference outputs from ONNX Runtime (tools/ort/run_ort.js).

Usage: /usr/bin/python3 samples/mobilenet/make_mobilenet.py [--out DIR] [--sets N] [--seed S]
       /usr/bin/python3 samples/mobilenet/make_mobilenet.py --check DIR
           regenerate into DIR and compare with the committed files (a test)
"""
import os
import sys

from torch import nn

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
import make_sample  # noqa: E402  (samples/common/make_sample.py)

# (output channels of the pointwise convolution, stride of the depthwise one)
LAYERS = [(16, 1), (32, 2), (32, 1), (64, 2), (64, 1), (128, 2)] + [(128, 1)] * 5 + [(256, 2), (256, 1)]


def conv_bn_relu(cin, cout, k, stride, groups=1):
    return [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU()]


class MobileNetV1(nn.Module):
    def __init__(self, classes=2):
        super().__init__()
        layers = conv_bn_relu(3, 8, 3, 2)
        c = 8
        for cout, stride in LAYERS:
            layers += conv_bn_relu(c, c, 3, stride, groups=c) + conv_bn_relu(c, cout, 1, 1)
            c = cout
        self.features = nn.Sequential(*layers)
        self.pool = nn.AvgPool2d(3)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(c, classes)

    def logits(self, x):
        return self.fc(self.flatten(self.pool(self.features(x))))

    def forward(self, x):
        return nn.functional.softmax(self.logits(x), dim=1)


def mobilenet_macs():
    """Multiply-accumulates of one inference, BN folded (for the record)."""
    size = 48
    macs = size * size * 8 * 27
    c = 8
    for cout, stride in LAYERS:
        size //= stride
        macs += size * size * c * (9 + cout)
        c = cout
    return macs + c * 2


if __name__ == "__main__":
    sys.exit(make_sample.main("mobilenet", MobileNetV1, (1, 3, 96, 96), mobilenet_macs(), 2026, HERE))
