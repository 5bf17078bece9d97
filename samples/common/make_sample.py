"""make_sample.py: what the image-classifier samples' generator scripts share
(samples/resnet8/make_resnet8.py, samples/mobilenet/make_mobilenet.py).

The weights are random but seeded and shaped like a trained network's, not
trained (there is no image data set on the build machine):
  - convolutions and the classifier start from He initialization, so the
    signal keeps its scale through the layers; a 3x3 kernel is a random
    multiple of a blur plus white noise (SMOOTHNESS), like trained kernels,
    which pass the smooth part of an image: a white-noise kernel passes
    quantization noise as well as it passes the image, and a network of them
    loses about 1.5 dB of signal-to-noise per layer under int8 (MobileNet's
    logits end near 0 dB), where this one keeps about 20 dB;
  - BatchNormalization gets real statistics, measured in training mode over a
    batch of structured calibration images (below), and a random affine part
    (gamma in [0.5, 1.5), beta ~ N(0, 0.2)), so folding BN into the
    convolutions is exercised and activations have realistic, uneven ranges;
    its variance is then made one per layer (the mean over the channels), so
    BN does not blow weak, noise-dominated channels up to full scale;
  - the classifier's bias is set so that every class has the same mean score
    over the calibration images, and its weights scaled so the scores have a
    standard deviation of 2: the arg-max then varies from image to image
    instead of one class always winning, which top-1 agreement needs.
The models end in Softmax, as MLPerf Tiny's reference models do.

The inputs (calibration images and the test data sets) are "structured":
smooth random fields (a coarse random grid upsampled bilinearly) plus a few
bright/dark rectangles and a little pixel noise, scaled to [-1, 1], rather than
white noise, so that activations have the spatial correlation of real images.

The exported model keeps the BatchNormalization nodes (tmlc folds them); the
test data's outputs come from ONNX Runtime (tools/ort), and PyTorch's own
outputs are compared with them.
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


def structured_images(rng, n, c, h, w):
    """n images [c, h, w] in [-1, 1]: smooth fields, rectangles, noise."""
    out = np.empty((n, c, h, w), np.float32)
    for i in range(n):
        g = int(rng.integers(3, 9))  # coarse grid size
        coarse = torch.from_numpy(rng.uniform(-1, 1, (1, c, g, g)).astype(np.float32))
        img = nn.functional.interpolate(coarse, size=(h, w), mode="bilinear", align_corners=True)[0].numpy()
        for _ in range(int(rng.integers(1, 4))):
            y0, x0 = rng.integers(0, h - 2), rng.integers(0, w - 2)
            y1, x1 = y0 + rng.integers(2, h // 2 + 2), x0 + rng.integers(2, w // 2 + 2)
            img[:, y0:y1, x0:x1] += rng.uniform(-0.8, 0.8, (c, 1, 1)).astype(np.float32)
        img += rng.normal(0, 0.05, img.shape).astype(np.float32)
        out[i] = np.clip(img, -1, 1)
    return out


# A 3x3 kernel = SMOOTHNESS x a random multiple of a blur + white noise
BLUR = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16 * 9 / 2.7
SMOOTHNESS = 3.0


def initialize(model, gen, calib):
    """He-initialized weights, BatchNormalization statistics measured on the
    calibration images, a classifier head balanced over the classes."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            w = torch.randn(m.weight.shape, generator=gen)
            if w.dim() == 4 and w.shape[-1] == 3:  # 3x3: mostly smooth (see above)
                w = SMOOTHNESS * torch.randn(w.shape[0], w.shape[1], 1, 1, generator=gen) * BLUR + w
                w *= m.weight[0].numel() ** 0.5 / w.flatten(1).norm(dim=1).view(-1, 1, 1, 1)
            m.weight.data.copy_(w * (2.0 / fan_in) ** 0.5)
            if m.bias is not None:
                m.bias.data.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None  # cumulative average over the calibration batch
            m.weight.data.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=gen) * 0.2)
    x = torch.from_numpy(calib)
    model.train()
    with torch.no_grad():
        model(x)
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):  # one variance per layer (see above)
            m.running_var.fill_(float(m.running_var.mean()))
    head = model.fc
    with torch.no_grad():
        logits = model.logits(x)  # before Softmax
        head.weight.mul_(2.0 / float(logits.std()))
        logits = model.logits(x)
        head.bias.sub_(logits.mean(0))


def main(name, build, input_shape, macs, default_seed, here, sets=4, calib_images=64):
    """The command line of a sample's generator script (see its docstring)."""
    ap = argparse.ArgumentParser(description=f"builds samples/{os.path.basename(here)}/{name}.onnx")
    ap.add_argument("--out", default=here, help=f"directory for {name}.onnx and data/ (default: beside the script)")
    ap.add_argument("--sets", type=int, default=sets, help="number of test data sets")
    ap.add_argument("--seed", type=int, default=default_seed, help="seed of the weights and of the inputs")
    ap.add_argument("--check", metavar="DIR", help="regenerate into DIR and compare with the committed files")
    args = ap.parse_args()
    if args.check:
        args.out = args.check
    torch.set_num_threads(1)  # the same sums in the same order on every machine

    rng = np.random.default_rng(args.seed + 1)
    calib = structured_images(rng, calib_images, *input_shape[1:])
    model = build()
    initialize(model, torch.Generator().manual_seed(args.seed), calib)

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, f"{name}.onnx")
    torch.onnx.export(model, torch.zeros(*input_shape), onnx_path, opset_version=13, input_names=["input"],
                      output_names=["output"], do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE)  # keep BatchNormalization nodes

    rng = np.random.default_rng(args.seed + 2)
    inputs = [structured_images(rng, 1, *input_shape[1:]) for _ in range(args.sets)]
    data_dir = os.path.join(args.out, "data")
    ort_outs = ort_data.write_reference(onnx_path, data_dir, [[x] for x in inputs], input_names=["input"])
    with torch.no_grad():
        torch_outs = [model(torch.from_numpy(x)).numpy() for x in inputs]
    diff = max(float(np.max(np.abs(t - o[0]))) for t, o in zip(torch_outs, ort_outs))
    weights = sum(m.weight.numel() + (m.out_channels if isinstance(m, nn.Conv2d) else m.out_features)
                  for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)))
    print(f"{name}.onnx: {os.path.getsize(onnx_path)} bytes, {macs:,} MACs, {weights:,} parameters "
          f"(BatchNormalization folded), {args.sets} data sets in {data_dir}")
    print("top-1 of the data sets:", [int(np.argmax(o[0])) for o in ort_outs])
    print(f"PyTorch vs ONNX Runtime: max abs diff {diff:.3g}")
    if diff > 1e-4:
        print("error: PyTorch and ONNX Runtime disagree", file=sys.stderr)
        return 1
    if not args.check:
        return 0
    problems = ort_data.compare_with_committed(args.out, here, f"{name}.onnx", args.sets)
    for p in problems:
        print(f"error: committed samples/{os.path.basename(here)} differs from a regeneration: {p}", file=sys.stderr)
    if not problems:
        print(f"committed {name}.onnx and data match a fresh regeneration")
    return 1 if problems else 0
