#!/usr/bin/python3
"""make_digits_model.py: trains the small CNN of the int8 accuracy check.

Uses the 8x8 digits data set shipped with Debian's python3-sklearn
(sklearn.datasets.load_digits, 1797 images, 10 classes) and PyTorch. Writes,
next to this script in digits/:

  digits.onnx        float model, input 'image' [1,1,8,8] (pixels / 16), output
                     'logits' [1,10]; Conv+BN+Relu, depthwise conv, a residual
                     Add, a strided conv, Flatten and Gemm
  test_x.npy         the test split, float32 [360,1,8,8]
  test_y.npy         its labels, int64 [360]
  calib/image.npy    100 training images, float32 [100,1,8,8]: the calibration
                     set for `tmlc compile --quantize int8 --calibration`

Deterministic (fixed seeds, one thread); run it again only to change the model:
    /usr/bin/python3 tests/quant/make_digits_model.py
"""
import os

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.dw = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, groups=16), nn.ReLU())
        self.pw = nn.Conv2d(16, 16, 1)
        self.down = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
        self.fc = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        y = self.conv1(x)
        z = self.pw(self.dw(y))
        y = torch.relu(y + z)
        y = self.down(y)
        return self.fc(torch.flatten(y, 1))


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    d = load_digits()
    x = (d.data.astype(np.float32) / 16.0).reshape(-1, 1, 8, 8)
    y = d.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x_tr), torch.from_numpy(y_tr)
    for epoch in range(40):
        net.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        pred = net(torch.from_numpy(x_te)).argmax(1).numpy()
    print("float accuracy (PyTorch): %.2f%% on %d test images" % (100.0 * (pred == y_te).mean(), len(y_te)))

    os.makedirs(os.path.join(HERE, "calib"), exist_ok=True)
    torch.onnx.export(net, torch.zeros(1, 1, 8, 8), os.path.join(HERE, "digits.onnx"), opset_version=13,
                      input_names=["image"], output_names=["logits"], do_constant_folding=True)
    np.save(os.path.join(HERE, "test_x.npy"), x_te.astype(np.float32))
    np.save(os.path.join(HERE, "test_y.npy"), y_te.astype(np.int64))
    rng = np.random.RandomState(1)
    calib = x_tr[rng.choice(len(x_tr), 100, replace=False)]
    np.save(os.path.join(HERE, "calib", "image.npy"), calib.astype(np.float32))


if __name__ == "__main__":
    main()
