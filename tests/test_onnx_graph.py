"""core.serving.onnx_graph reads model.onnx as the `onnx` package does, without importing it
(its import costs the Inside page a second): checked against onnx itself on every shipped model."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper

from core.serving import onnx_graph

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted(path.parent.name for path in (REPO / "trained").glob("*/model.onnx"))


@pytest.mark.parametrize("name", SHIPPED)
def test_a_shipped_model_reads_as_onnx_reads_it(name):
    path = REPO / "trained" / name / "model.onnx"
    ours, theirs = onnx_graph.load(path), onnx.load(str(path))
    assert ours == theirs
    for tensor in ours.graph.initializer:
        expected = numpy_helper.to_array(tensor)
        got = onnx_graph.to_array(tensor)
        assert got.dtype == expected.dtype and got.shape == expected.shape, tensor.name
        np.testing.assert_array_equal(got, expected, err_msg=tensor.name)
    attributes = [attr for node in ours.graph.node for attr in node.attribute]
    assert attributes
    for attr in attributes:
        expected, got = helper.get_attribute_value(attr), onnx_graph.attribute(attr)
        if isinstance(expected, onnx.TensorProto):
            np.testing.assert_array_equal(got, numpy_helper.to_array(expected))
        else:
            assert got == expected, attr.name


def test_typed_fields_and_an_extra_output_read_as_onnx_builds_them():
    for values in (np.arange(6, dtype=np.float32).reshape(2, 3), np.array([3, -1], dtype=np.int64),
                   np.array([1.5], dtype=np.float64), np.array([[True, False]])):
        stored = helper.make_tensor("t", helper.np_dtype_to_tensor_dtype(values.dtype), values.shape,
                                    values.ravel().tolist())  # typed fields, not raw bytes
        assert not stored.raw_data
        got = onnx_graph.to_array(stored)
        assert got.dtype == values.dtype
        np.testing.assert_array_equal(got, values)
    assert onnx_graph.float_output("x") == helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, None)


def test_explaining_a_model_imports_neither_onnx_nor_ml_dtypes():
    probe = ("import json, sys; from core.serving import explain; "
             "inside = explain.explainer('trained/mnist').inside(__import__('PIL.Image').Image.new('L', (28, 28))); "
             "print(json.dumps([len(inside.activations), sorted({'onnx', 'ml_dtypes'} & set(sys.modules))]))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    maps, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert maps > 0 and loaded == []
