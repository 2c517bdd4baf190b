"""model.onnx's protobuf messages without importing the `onnx` package.

`import onnx` loads ml_dtypes, whose extension took 0.9-1.2 s to load on this 2-core machine
(`python -X importtime -c "import onnx"`): a second of the Inside page's first paint. Reading a
graph needs only onnx's generated message classes (onnx/onnx_ml_pb2.py, which imports protobuf
alone), loaded here by path; protobuf's pool shares them with a later `import onnx` (the same
classes). Tensor types this module does not decode are left to onnx's own numpy_helper.
"""
from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import numpy as np

FLOAT = 1  # TensorProto.FLOAT
_DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32, 7: np.int64, 9: np.bool_,
           11: np.float64, 12: np.uint32, 13: np.uint64}  # TensorProto.DataType -> numpy, where raw bytes suffice
_FIELDS = {1: "float_data", 6: "int32_data", 7: "int64_data", 11: "double_data"}  # typed fields of those types
_ATTRIBUTES = {1: "f", 2: "i", 3: "s", 6: "floats", 7: "ints", 8: "strings"}  # AttributeProto.AttributeType


@cache
def messages():
    """onnx's generated module of protobuf messages (ModelProto, ValueInfoProto...)."""
    spec = importlib.util.find_spec("onnx")  # finds the package without running its __init__
    if spec is None or spec.origin is None:
        raise ImportError("the onnx package is not installed (pip install -r requirements.txt)")
    module_spec = importlib.util.spec_from_file_location("_onnx_ml_pb2", Path(spec.origin).parent / "onnx_ml_pb2.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def load(path: str | Path):
    """The ModelProto in a model.onnx file (weights inside it, as tf2onnx writes them)."""
    model = messages().ModelProto()
    model.ParseFromString(Path(path).read_bytes())
    return model


def float_output(name: str):
    """A graph output for a float tensor of any shape (onnx.helper.make_tensor_value_info's)."""
    pb = messages()
    return pb.ValueInfoProto(name=name, type=pb.TypeProto(tensor_type=pb.TypeProto.Tensor(elem_type=FLOAT)))


def to_array(tensor) -> np.ndarray:
    """A TensorProto's values as numpy (onnx.numpy_helper.to_array's, for the plain types)."""
    dtype = _DTYPES.get(tensor.data_type)
    if dtype is None or tensor.data_location == 1 or tensor.segment.ByteSize():  # external or segmented data
        from onnx import numpy_helper

        return numpy_helper.to_array(tensor)
    shape = tuple(tensor.dims)
    if tensor.raw_data:
        return np.frombuffer(tensor.raw_data, dtype=np.dtype(dtype).newbyteorder("<")).astype(dtype).reshape(shape)
    field = _FIELDS.get(tensor.data_type, "int32_data")  # small integer types and bool are stored as int32
    return np.asarray(getattr(tensor, field), dtype=dtype).reshape(shape)


def attribute(attr):
    """A node attribute's value (onnx.helper.get_attribute_value's): a number, bytes, a list, or
    a tensor as numpy."""
    if attr.type == 4:  # TENSOR
        return to_array(attr.t)
    if attr.type not in _ATTRIBUTES:
        from onnx.helper import get_attribute_value

        return get_attribute_value(attr)
    value = getattr(attr, _ATTRIBUTES[attr.type])
    return list(value) if attr.type in (6, 7, 8) else value
