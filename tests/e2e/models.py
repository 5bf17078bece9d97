"""models.py: the small PyTorch models of the end-to-end tests.

Each entry builds a seeded model (random but reproducible weights) and says
its input shapes. run_e2e.py exports it with torch.onnx.export, checks
PyTorch against ONNX Runtime, then tmlc against both.
"""
import torch
from torch import nn


class TinyMLP(nn.Module):
    """Gemm chains with the activations PyTorch users put between them."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 32)
        self.fc2 = nn.Linear(32, 24)
        self.fc3 = nn.Linear(24, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.tanh(self.fc2(x))
        return torch.softmax(self.fc3(x), dim=-1)


class SmallCNN(nn.Module):
    """Two branches joined by Concat, MaxPool, BatchNorm, Sigmoid gating,
    a global average pool, Flatten and a Softmax head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(2)
        self.left = nn.Conv2d(8, 8, 3, padding=1)
        self.right = nn.Conv2d(8, 8, 1)
        self.gate = nn.Conv2d(16, 16, 1)
        self.head = nn.Linear(16, 5)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.stem(x))))
        x = torch.cat([torch.relu(self.left(x)), self.right(x)], dim=1)
        x = x * torch.sigmoid(self.gate(x))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return torch.softmax(self.head(x), dim=1)


class SpeechLSTM(nn.Module):
    """A keyword-spotting style recurrent classifier: 2-layer bidirectional
    LSTM over 49 frames of 10 features (batch first), last step to a head."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(10, 16, num_layers=2, bidirectional=True, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        y, _ = self.rnn(x)
        return torch.softmax(self.head(y[:, -1]), dim=-1)


class SpeechGRU(nn.Module):
    """A GRU (sequence first) whose final hidden state feeds the head."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(10, 12)
        self.head = nn.Linear(12, 3)

    def forward(self, x):
        _, h = self.rnn(x)
        return torch.softmax(self.head(h[0]), dim=-1)


class PadFolds(nn.Module):
    """Explicit zero padding before Conv and AveragePool, which
    passes/fold_pad.h folds into them, and paddings it must leave alone."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3)
        self.dw = nn.Conv2d(6, 6, 3, padding=1, groups=6)

    def forward(self, x):
        f = nn.functional
        a = self.conv(f.pad(x, (1, 2, 0, 1)))  # Pad -> Conv
        b = self.dw(f.pad(a, (1, 1, 1, 1)))  # Pad -> Conv with pads of its own
        c = f.avg_pool2d(f.pad(b, (1, 0, 2, 0)), 2)  # Pad -> AveragePool: the zeros count
        d = f.avg_pool2d(b, 3, stride=2, padding=1)  # PyTorch's own Pad (count_include_pad)
        e = f.avg_pool2d(f.pad(b, (0, 1, 0, 1)), 3, padding=1, count_include_pad=False)  # stays
        m = f.max_pool2d(f.pad(b, (1, 1, 1, 1)), 2)  # zero padding before MaxPool stays
        r = f.pad(b, (1, 1, 0, 0), mode="reflect")  # not zeros: stays
        return c, d, e, m, r


class ViewOutputs(nn.Module):
    """Graph outputs that are views (Flatten, Reshape, Unsqueeze) of computed
    values: written straight into the output buffers, one of them also read by
    a later layer, two viewing the same value (the second is copied)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 5 * 5, 3)

    def forward(self, x):
        h = torch.relu(self.conv(x))
        flat = torch.flatten(h, 1)
        y = self.fc(flat)
        return flat, y.reshape(3, 1), h.unsqueeze(0)


class ConvVariants(nn.Module):
    """The convolutions the Helium float32 bodies take on cortex-m55
    (runtime/include/tmlc/kernels/mve/): depthwise 3-D with asymmetric pads,
    strides and dilation over 6 channels (a group of four and a tail), 1-D
    depthwise, group-1 with padding and stride, pointwise with an odd channel
    count and pixel tail; Relu, Clip (fused, vector selects) and LeakyRelu
    (applied per element)."""

    def __init__(self):
        super().__init__()
        self.dw3 = nn.Conv3d(6, 6, 3, stride=(1, 2, 1), dilation=(1, 1, 2), padding=(1, 1, 0), groups=6)
        self.dw1 = nn.Conv1d(6, 6, 3, dilation=2, padding=2, groups=6, bias=False)
        self.conv = nn.Conv2d(6, 7, (3, 2), stride=2, padding=1)
        self.pw = nn.Conv2d(7, 5, 1)

    def forward(self, x, x1):
        f = nn.functional
        a = f.leaky_relu(self.dw3(f.pad(x, (0, 2, 0, 0, 0, 0))), 0.1)
        b = f.relu(self.dw1(x1))
        c = f.hardtanh(self.conv(x[:, :, 0]), -0.5, 0.7)
        d = f.relu(self.pw(c))
        return a, b, d


def _seeded(cls, seed):
    torch.manual_seed(seed)
    m = cls()
    gen = torch.Generator().manual_seed(seed + 1)
    for b in m.modules():
        if isinstance(b, nn.BatchNorm2d):  # statistics away from the identity
            b.running_mean.copy_(torch.randn(b.num_features, generator=gen) * 0.3)
            b.running_var.copy_(torch.rand(b.num_features, generator=gen) + 0.5)
            b.weight.data.copy_(torch.rand(b.num_features, generator=gen) + 0.5)
            b.bias.data.copy_(torch.randn(b.num_features, generator=gen) * 0.2)
    return m.eval()


# name -> (builder, input shapes)
MODELS = {
    "mlp": (lambda: _seeded(TinyMLP, 11), [(1, 20)]),
    "cnn": (lambda: _seeded(SmallCNN, 12), [(1, 3, 16, 16)]),
    "lstm": (lambda: _seeded(SpeechLSTM, 13), [(1, 49, 10)]),
    "gru": (lambda: _seeded(SpeechGRU, 14), [(49, 1, 10)]),
    "pad": (lambda: _seeded(PadFolds, 15), [(1, 3, 9, 8)]),
    "views": (lambda: _seeded(ViewOutputs, 16), [(1, 2, 5, 5)]),
    "convs": (lambda: _seeded(ConvVariants, 17), [(1, 6, 4, 5, 6), (2, 6, 7)]),
}
