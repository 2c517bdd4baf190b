"""Keras -> ONNX through tf2onnx (Keras 3's `model.export(format="onnx")`), checked on the spot:
the exported graph must give the Keras model's outputs to 1e-4 on real inputs, or nothing is
written. Every model.onnx also says what it is: its output is named `probabilities` and its
metadata_props carry the data set's labels (core.datasets.onnx_metadata), which serving reads.

tf2onnx needs TensorFlow: a model trained under JAX or PyTorch is saved as .keras and exported by
a child process under the TensorFlow backend (`python -m core.training.export SAVED OUT`; Keras
picks its backend at import), and checked against the trained backend's own outputs. A model
trained in mixed precision is exported as its float32 copy (same weights)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from core.artifacts.files import atomic_write_bytes
from core.datasets import Dataset, onnx_metadata

PARITY_TOLERANCE = 1e-4
OUTPUT_NAME = "probabilities"  # the ONNX output (contract); tf2onnx would call it Identity:0


class ExportParityError(RuntimeError):
    """The ONNX graph disagrees with the Keras model beyond the tolerance."""


def onnx_outputs(path_or_bytes: Path | bytes, batch: np.ndarray) -> np.ndarray:
    import onnxruntime as ort

    source = path_or_bytes if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    session = ort.InferenceSession(source, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: batch.astype(np.float32)})[0]


def export_onnx(model, path: str | Path, sample: np.ndarray, dataset: Dataset, fingerprint: str) -> float:
    """Write `model` as ONNX at `path` atomically, labelled with its data set; return the max
    |Keras - onnxruntime| on `sample` (raw 0-255 NHWC). Raises ExportParityError above
    PARITY_TOLERANCE."""
    import keras
    import onnx

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sample = np.asarray(sample, dtype=np.float32)
    model = float32_copy(model)
    expected = keras.ops.convert_to_numpy(model(sample, training=False))  # also builds the model before export
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".model.", suffix=".onnx")
    os.close(fd)
    try:
        export_graph(model, tmp)
        proto = onnx.load(tmp)
        label(proto, dataset, fingerprint)
        onnx.save(proto, tmp)
        diff = float(np.max(np.abs(onnx_outputs(Path(tmp), sample) - expected)))
        if not diff <= PARITY_TOLERANCE:
            raise ExportParityError(f"ONNX output differs from Keras by {diff:.2e} (> {PARITY_TOLERANCE:g})")
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return diff


def export_graph(model, path: str) -> None:
    """tf2onnx's graph of `model` at `path`: in this process under TensorFlow, else through a
    .keras file and a TensorFlow-backend child process."""
    import keras

    if keras.backend.backend() == "tensorflow":
        model.export(path, format="onnx", verbose=False)
        return
    saved = f"{path}.keras"
    try:
        model.save(saved)
        child = subprocess.run([sys.executable, "-m", "core.training.export", saved, path],
                               env={**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "2"},
                               cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True)
    finally:
        Path(saved).unlink(missing_ok=True)
    if child.returncode != 0:
        raise RuntimeError(f"the TensorFlow-backend export failed: {child.stderr[-2000:]}")


def float32_copy(model):
    """`model` itself when it computes in float32; else the same architecture under float32
    policies with the same weights (mixed-precision variables are float32 already)."""
    import keras

    if all(layer.dtype_policy.name == "float32" for layer in _layers(model)):
        return model

    def float32(config):
        if isinstance(config, dict):
            if config.get("class_name") == "DTypePolicy" or config.get("class_name") == "FloatDTypePolicy":
                return {**config, "config": {**config["config"], "name": "float32"}}
            return {key: float32(value) for key, value in config.items()}
        if isinstance(config, list):
            return [float32(value) for value in config]
        return config

    copy = keras.saving.deserialize_keras_object(float32(keras.saving.serialize_keras_object(model)))
    copy.set_weights(model.get_weights())
    return copy


def _layers(model):
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _layers(layer)


def label(proto, dataset: Dataset, fingerprint: str) -> None:
    """Name the graph's one output OUTPUT_NAME and write the data set's metadata_props (other
    keys kept); refuses a graph whose input or output does not fit the data set."""
    import onnx

    graph = proto.graph
    (model_input,), (model_output,) = graph.input, graph.output
    height, width = dataset.image_size
    wanted = {"input": [height, width, dataset.channels],
              "output": [1 if dataset.output == "sigmoid" else len(dataset.classes)]}
    for kind, value in (("input", model_input), ("output", model_output)):
        dims = [d.dim_value for d in value.type.tensor_type.shape.dim][1:]
        if dims != wanted[kind]:
            raise ValueError(f"the model's {kind} is N x {dims}, not N x {wanted[kind]} as {dataset.id} needs")
    _rename(graph, model_output.name, OUTPUT_NAME)
    onnx.helper.set_model_props(proto, {**{p.key: p.value for p in proto.metadata_props},
                                        **onnx_metadata(dataset, fingerprint)})


def _rename(graph, old: str, new: str) -> None:
    """Rename a value everywhere it is written or read, subgraphs (If/Loop bodies) included."""
    for node in graph.node:
        node.input[:] = [new if name == old else name for name in node.input]
        node.output[:] = [new if name == old else name for name in node.output]
        for attribute in node.attribute:
            for subgraph in (*([attribute.g] if attribute.HasField("g") else []), *attribute.graphs):
                _rename(subgraph, old, new)
    for value in (*graph.output, *graph.value_info):
        if value.name == old:
            value.name = new


def label_file(path: str | Path, dataset: Dataset, fingerprint: str) -> None:
    """Label an already exported model.onnx in place (no Keras model needed): the graph is
    unchanged but for the output's name, which onnxruntime checks bit for bit on random
    pixels before the file is replaced (atomically)."""
    import onnx

    path = Path(path)
    before = path.read_bytes()
    proto = onnx.load_from_string(before)
    label(proto, dataset, fingerprint)
    after = proto.SerializeToString()
    height, width = dataset.image_size
    pixels = np.random.default_rng(0).uniform(0, 255, (4, height, width, dataset.channels)).astype(np.float32)
    if not np.array_equal(onnx_outputs(before, pixels), onnx_outputs(after, pixels)):
        raise RuntimeError(f"{path}: the labelled graph computes something else; nothing was written")
    atomic_write_bytes(path, after)


def main(saved: str, out: str) -> None:
    """The child's side of export_graph: a .keras file in, tf2onnx's graph out."""
    import keras

    from core.training import layers  # noqa: F401  (registers the custom layers a file may name)

    model = keras.models.load_model(saved)
    model(np.zeros((1, *model.input_shape[1:]), np.float32), training=False)  # export wants a called model
    export_graph(model, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
