"""Inside the model (book section 5.4), served from model.onnx alone: each conv and pooling
layer's activations (5.4.1) and Grad-CAM heatmaps (5.4.3), through onnxruntime and numpy.

No second file: at load time the graph (read as protobuf by core.serving.onnx_graph) gains extra outputs in
memory (each shown layer's activation, and the head's tensors from the last conv layer to the
class scores), and Grad-CAM's gradient is a numpy backward pass over that head, whose few ops
(MaxPool, Transpose, Reshape, MatMul, Add, Relu, Clip, GlobalAveragePool, ...) take their
weights from the graph's initialisers. Every model.onnx, shipped or trained, is explained as it
is, without retraining, and trained/ grows by nothing. (A second exported graph with the
gradient would duplicate the head: 3.2 M weights, 13 MB, per from-scratch model.)

Layers are found by the Keras names tf2onnx keeps in node names (`scratch_1/conv4_1/Relu`);
fused nodes without one (`Conv__542`) are named by their weight. EfficientNet-Lite0's layers are
grouped by block (`block6d_...`): its feature maps are each block's output.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

from core.data.images import prepare_image
from core.reasons import Code, Reason
from core.serving import onnx_graph
from core.serving.inference import Predictor, predictor, providers

_BLOCK = re.compile(r"^(block\d+[a-z]|stem|top)_")  # EfficientNet-Lite0's blocks, its stem and its top
_SHAPES = {"Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity"}  # the gradient only changes shape
_DIFFERENTIABLE = _SHAPES | {"Transpose", "MatMul", "Gemm", "Add", "Sub", "Mul", "Relu", "Clip", "MaxPool",
                             "GlobalAveragePool"}
KEPT = 4  # forward passes an Explainer remembers: a page's reruns on the same image (a slider, a channel) redo none


@dataclass(frozen=True)
class Layer:
    name: str  # the Keras layer, or the Lite0 block
    tensor: str  # its output in model.onnx (NCHW there)
    kind: str  # "conv", "pool" or "block"


def _layer_of(node, initialisers: set[str]) -> str | None:
    """The Keras layer a node belongs to: the deepest scope with the export's `_N` suffix, or,
    for a fused node named only by tf2onnx, its weight's."""
    names = [node.name] + [name for name in node.input[1:2] if name in initialisers]
    for name in names:
        scopes = [s for s in name.split("/")[:-1] if re.search(r"_\d+$", s)]
        if scopes:
            return re.sub(r"_\d+$", "", scopes[-1])
    return None


def _layers(graph) -> tuple[list[Layer], Layer | None]:
    """Each conv and pooling layer (each Lite0 block) in graph order, and the last conv layer."""
    initialisers = {init.name for init in graph.initializer}
    groups: dict[str, dict] = {}  # layer -> its last output, the op types in it
    for node in graph.node:
        layer = _layer_of(node, initialisers)
        if layer is None:
            continue
        block = _BLOCK.match(layer)
        key = block.group(1) if block else layer
        group = groups.setdefault(key, {"ops": set(), "block": bool(block)})
        group["ops"].add(node.op_type)
        group["tensor"] = node.output[0]
    shown = [Layer(name, g["tensor"], "block" if g["block"] else "conv" if "Conv" in g["ops"] else "pool")
             for name, g in groups.items() if g["ops"] & {"Conv", "MaxPool"}]
    last_conv = next((layer for layer in reversed(shown) if "Conv" in groups[layer.name]["ops"]), None)
    return shown, last_conv


def _data(node) -> list[str]:
    """The inputs a gradient can flow to (a Reshape's target shape is not one)."""
    return list(node.input[:1] if node.op_type in _SHAPES else node.input)


@dataclass
class Inside:
    """One image through one model: its probabilities, each shown layer's activations (HxWxC)
    and what Grad-CAM needs; `heatmap(c)` is the Grad-CAM of class c."""

    explainer: "Explainer"
    key: str  # this Explainer's and the model input's digest: the same key, the same numbers
    probabilities: np.ndarray
    activations: dict[str, np.ndarray]
    values: dict[str, np.ndarray]  # the head's tensors (NCHW where 4-D), for the backward pass

    def heatmap(self, class_index: int) -> np.ndarray:
        """Listing 5.42–5.43: the class score's gradient averaged per channel of the last conv
        layer weighs its channels; the weighted sum, ReLU'd, normalised to 0–1 by its maximum
        (all zeros when no place speaks for the class). At that layer's resolution."""
        explainer = self.explainer
        if explainer.gradcam_problem:
            raise ValueError(str(explainer.gradcam_problem))
        logits = self.values[explainer.score]
        seed = np.zeros_like(logits)
        if explainer.output == "sigmoid":  # one logit z: the second class's score is z, the first's -z
            seed[...] = 1.0 if class_index == 1 else -1.0
        else:
            seed[..., class_index] = 1.0
        grads = explainer.backward(self.values, seed)
        features = self.values[explainer.last_conv.tensor][0]  # C x H x W
        weights = grads[0].mean(axis=(1, 2))  # pooled_grads
        cam = np.maximum(np.tensordot(weights, features, axes=1), 0.0)
        peak = cam.max()
        return (cam / peak if peak > 0 else cam).astype(np.float32)


class Explainer:
    """model.onnx with its layers' activations and its head's tensors as extra outputs (in
    memory). Feature maps work for any model with a conv layer; `gradcam_problem` says why a
    head cannot be differentiated here (None when it can)."""

    def __init__(self, model: Predictor, model_dir: Path):
        self.model = model
        proto = onnx_graph.load(model_dir / "model.onnx")
        graph = proto.graph
        self.layers, self.last_conv = _layers(graph)
        self.output = model.output
        self.initialisers = {init.name: onnx_graph.to_array(init) for init in graph.initializer}
        self.gradcam_problem: Reason | None = None
        final = next(node for node in graph.node if graph.output[0].name in node.output)
        self.score = final.input[0] if final.op_type in ("Sigmoid", "Softmax") else final.output[0]
        self.head = self._head(graph)
        wanted = [layer.tensor for layer in self.layers]
        if not self.gradcam_problem:
            wanted += [self.score, self.last_conv.tensor] + [name for node in self.head for name in _data(node)
                                                             if name not in self.initialisers]
        self.extra = list(dict.fromkeys(name for name in wanted if name != graph.output[0].name))
        graph.output.extend(onnx_graph.float_output(name) for name in self.extra)
        options = ort.SessionOptions()  # idle threads sleep: a page's grids and its browser share the CPU with it
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        self.session = ort.InferenceSession(proto.SerializeToString(), options, providers=providers())
        self._kept: OrderedDict[tuple[str, bool], Inside] = OrderedDict()
        self._salt = os.urandom(16)  # a model replaced in its dir gets a new Explainer, so new keys
        self._kept_lock = threading.Lock()

    def _head(self, graph) -> list:
        """The nodes from the last conv layer to the class scores that carry the gradient, in
        graph order; sets gradcam_problem if one cannot be differentiated here."""
        if self.last_conv is None:
            self.gradcam_problem = Reason(Code.EXPLAIN_NO_CONV, "the model has no conv layer")
            return []
        carries = {self.last_conv.tensor}
        head = []
        for node in graph.node:
            if not carries & set(_data(node)) or node.op_type == "Shape":
                continue
            if node.op_type not in _DIFFERENTIABLE:
                self.gradcam_problem = Reason(Code.EXPLAIN_UNSUPPORTED, f"Grad-CAM cannot pass through the "
                                              f"model's {node.op_type} node ({node.name})", op=node.op_type)
                return []
            head.append(node)
            carries.add(node.output[0])
            if node.output[0] == self.score:
                return head
        self.gradcam_problem = Reason(Code.EXPLAIN_UNSUPPORTED, "the class scores do not follow from the "
                                      "last conv layer", op="")
        return []

    def backward(self, values: dict[str, np.ndarray], seed: np.ndarray) -> np.ndarray:
        """d(score · seed)/d(last conv layer's activations), by the chain rule over the head."""
        grads = {self.score: seed}
        for node in reversed(self.head):
            g = grads.pop(node.output[0], None)
            if g is None:
                continue
            for name, grad in self._node_grads(node, g, values):
                grads[name] = grads[name] + grad if name in grads else grad
        return grads[self.last_conv.tensor]

    def _node_grads(self, node, g, values):
        """(input name, gradient) for each input of one node that carries the gradient."""
        op, inputs = node.op_type, list(node.input)
        x = values.get(inputs[0])
        attrs = {a.name: onnx_graph.attribute(a) for a in node.attribute}
        if op in _SHAPES:
            return [(inputs[0], g.reshape(x.shape))]
        if op == "Transpose":
            return [(inputs[0], g.transpose(np.argsort(attrs["perm"])))]
        if op == "Relu":
            return [(inputs[0], g * (x > 0))]
        if op == "Clip":
            low = self.initialisers[inputs[1]] if len(inputs) > 1 and inputs[1] else attrs.get("min", -np.inf)
            high = self.initialisers[inputs[2]] if len(inputs) > 2 and inputs[2] else attrs.get("max", np.inf)
            return [(inputs[0], g * ((x > low) & (x < high)))]
        if op == "GlobalAveragePool":
            return [(inputs[0], np.broadcast_to(g / np.prod(x.shape[2:]), x.shape))]
        if op in ("MatMul", "Gemm"):
            weight = self.initialisers[inputs[1]]
            if attrs.get("transB"):
                weight = weight.T
            return [(inputs[0], attrs.get("alpha", 1.0) * g @ weight.T)]
        if op == "MaxPool":
            return [(inputs[0], _max_pool_grad(x, g, attrs))]
        # Add, Sub, Mul: to each input that is not a constant, summed back to its shape
        out = []
        for i, name in enumerate(inputs):
            if name in self.initialisers:
                continue
            grad = -g if op == "Sub" and i == 1 else g
            if op == "Mul":
                other = inputs[1 - i]
                grad = grad * (self.initialisers[other] if other in self.initialisers else values[other])
            out.append((name, _unbroadcast(grad, values[name].shape)))
        return out

    def forget(self) -> None:
        """Drop the remembered forward passes: the next image is run again (a bench times that)."""
        with self._kept_lock:
            self._kept.clear()

    def inside(self, image: Image.Image, feature_maps: bool = True) -> Inside:
        """One forward pass, remembered for the same model input (the KEPT latest); without
        feature_maps, only what Grad-CAM needs is fetched (or a pass with them is reused)."""
        model = self.model
        batch = prepare_image(image, model.size, model.grey)[None]
        key = hashlib.blake2b(batch.tobytes(), digest_size=16, salt=self._salt).hexdigest()
        with self._kept_lock:
            for wanted in [(key, True)] + [(key, False)] * (not feature_maps):
                if wanted in self._kept:
                    self._kept.move_to_end(wanted)
                    return self._kept[wanted]
        shown = {layer.tensor for layer in self.layers}
        names = [name for name in self.extra if feature_maps or name not in shown or name == self.last_conv.tensor
                 or any(name in _data(node) for node in self.head)]
        outputs = self.session.run([self.session.get_outputs()[0].name, *names], {model.input_name: batch})
        for output in outputs:  # shared by every caller (and session) that gives the same image
            output.flags.writeable = False
        probabilities = outputs[0]
        if model.output == "sigmoid":
            probabilities = np.concatenate([1.0 - probabilities, probabilities], axis=-1)
        values = dict(zip(names, outputs[1:]))
        activations = {layer.name: np.moveaxis(values[layer.tensor][0], 0, -1) for layer in self.layers
                       if layer.tensor in values}
        inside = Inside(self, key, probabilities[0], activations, values)
        with self._kept_lock:
            self._kept[key, feature_maps] = inside
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return inside


def _unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum a gradient over the axes numpy broadcast an input along."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _max_pool_grad(x: np.ndarray, g: np.ndarray, attrs: dict) -> np.ndarray:
    """Each window's gradient goes to its maximum (the first one, on ties), as TensorFlow's."""
    if any(attrs.get("pads", [0])) or attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", b"VALID"):
        raise ValueError("MaxPool with padding is not supported")
    (kh, kw), (sh, sw) = attrs["kernel_shape"], attrs.get("strides", [1, 1])
    oh, ow = g.shape[2:]
    windows = np.stack([x[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] for i in range(kh) for j in range(kw)])
    best = windows.argmax(axis=0)
    grad = np.zeros_like(x)
    for k in range(kh * kw):
        i, j = divmod(k, kw)
        grad[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] += g * (best == k)
    return grad


_cache: dict[str, tuple[Predictor, Explainer]] = {}
_lock = threading.Lock()


def explainer(model_dir: str | Path) -> Explainer:
    """One cached Explainer per model dir, rebuilt whenever its Predictor is (the model was
    replaced); raises ModelUnavailable as `predictor` does."""
    model = predictor(model_dir)
    key = str(Path(model_dir).resolve())
    with _lock:
        if key not in _cache or _cache[key][0] is not model:
            _cache[key] = (model, Explainer(model, Path(key)))
        return _cache[key][1]
