"""Reading named input tensors and writing named outputs, with errors that name the tensor.

Every check here raises kserve's InvalidInput, which the server answers with gRPC
INVALID_ARGUMENT (HTTP 400 on REST) and goes on serving. A model declares its tensors
once (`TensorSpec`), and the same declarations feed ModelMetadata.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Sequence

import numpy as np
from kserve import InferRequest, InferResponse
from kserve.errors import InvalidInput
from kserve.protocol.infer_type import InferOutput

_NUMPY_TYPES = {
    "BOOL": np.bool_,
    "INT32": np.int32,
    "INT64": np.int64,
    "FP32": np.float32,
    "FP64": np.float64,
}
# What a caller may send for a declared type: an FP64 input takes FP32 too, INT64 takes INT32.
_ACCEPTED = {
    "BOOL": {"BOOL"},
    "INT32": {"INT32"},
    "INT64": {"INT64", "INT32"},
    "FP32": {"FP32"},
    "FP64": {"FP64", "FP32"},
    "BYTES": {"BYTES"},
}
# The longest text element a model reads (ids, dates, names).
MAX_TEXT_BYTES = 400


@dataclass(frozen=True)
class TensorSpec:
    name: str
    datatype: str
    # -1: any size. Every input here is one- or two-dimensional.
    shape: tuple[int, ...]
    description: str
    optional: bool = False

    def metadata(self) -> dict:
        return {"name": self.name, "datatype": self.datatype, "shape": list(self.shape)}


class Inputs:
    """The request's inputs by name, checked against the model's declarations."""

    def __init__(self, request: InferRequest, specs: Sequence[TensorSpec], model: str):
        if not isinstance(request, InferRequest):
            raise InvalidInput(f"{model}: expected an Open Inference Protocol v2 request")
        self.model = model
        self._specs = {spec.name: spec for spec in specs}
        self._tensors = {}
        for tensor in request.inputs:
            if tensor.name in self._tensors:
                raise InvalidInput(f"{model}: input '{tensor.name}' is given twice")
            if tensor.name not in self._specs:
                known = ", ".join(self._specs)
                raise InvalidInput(f"{model}: unknown input '{tensor.name}' (inputs: {known})")
            self._tensors[tensor.name] = tensor
        for spec in specs:
            if not spec.optional and spec.name not in self._tensors:
                raise InvalidInput(f"{model}: input '{spec.name}' is missing")

    def has(self, name: str) -> bool:
        return name in self._tensors

    def array(self, name: str) -> np.ndarray:
        """The tensor as a numpy array of its declared shape (BYTES as an object array of str)."""
        spec = self._specs[name]
        tensor = self._tensors[name]
        if tensor.datatype not in _ACCEPTED[spec.datatype]:
            raise InvalidInput(f"{self.model}: input '{name}' must be {spec.datatype}, got {tensor.datatype}")
        shape = [int(d) for d in tensor.shape]
        if len(shape) != len(spec.shape) or any(want not in (-1, got) for want, got in zip(spec.shape, shape)):
            raise InvalidInput(f"{self.model}: input '{name}' must have shape {list(spec.shape)} (-1 = any), got {shape}")
        if any(d < 0 for d in shape):
            raise InvalidInput(f"{self.model}: input '{name}' has a negative dimension {shape}")
        count = math.prod(shape)
        # kserve keeps raw_input_contents apart from typed contents.
        if getattr(tensor, "_raw_data", None) is not None:
            try:
                values = tensor.as_numpy()
            except Exception as error:  # raw contents that do not decode to the shape
                raise InvalidInput(f"{self.model}: input '{name}' does not decode to shape {shape}: {error}") from None
            if spec.datatype == "BYTES":
                return np.array([_text(self.model, name, v) for v in values.reshape(-1)], dtype=object).reshape(shape)
            values = values.astype(_NUMPY_TYPES[spec.datatype]).reshape(shape)
            if values.dtype.kind == "f" and not np.all(np.isfinite(values)):
                raise InvalidInput(f"{self.model}: input '{name}' holds NaN or infinity")
            return values
        data = tensor.data if tensor.data is not None else []
        if len(data) != count:
            raise InvalidInput(f"{self.model}: input '{name}' has {len(data)} elements, its shape {shape} needs {count}")
        if spec.datatype == "BYTES":
            return np.array([_text(self.model, name, v) for v in data], dtype=object).reshape(shape)
        values = np.asarray(data, dtype=_NUMPY_TYPES[spec.datatype]).reshape(shape)
        if values.dtype.kind == "f" and not np.all(np.isfinite(values)):
            raise InvalidInput(f"{self.model}: input '{name}' holds NaN or infinity")
        return values

    def scalar(self, name: str, default=None):
        if not self.has(name):
            return default
        values = self.array(name).reshape(-1)
        if values.size != 1:
            raise InvalidInput(f"{self.model}: input '{name}' must hold one value, got {values.size}")
        return values[0].item() if hasattr(values[0], "item") else values[0]

    def fail(self, name: str, problem: str) -> InvalidInput:
        return InvalidInput(f"{self.model}: input '{name}' {problem}")

    def dates(self, name: str) -> np.ndarray:
        """ISO dates (YYYY-MM-DD) as numpy datetime64[D]."""
        texts = self.array(name).reshape(-1)
        out = np.empty(texts.size, dtype="datetime64[D]")
        for index, text in enumerate(texts):
            try:
                if len(text) != 10:
                    raise ValueError
                out[index] = np.datetime64(date.fromisoformat(text), "D")
            except ValueError:
                raise self.fail(name, f"element {index} is not a date YYYY-MM-DD: {text[:40]!r}") from None
        return out

    def non_negative(self, name: str) -> np.ndarray:
        values = self.array(name)
        if values.size and values.min() < 0:
            index = int(np.argmin(values.reshape(-1)))
            raise self.fail(name, f"element {index} is negative ({values.reshape(-1)[index]})")
        return values

    def at_most(self, name: str, limit: int, values: np.ndarray) -> np.ndarray:
        if values.shape[0] > limit:
            raise self.fail(name, f"has {values.shape[0]} rows, more than the limit of {limit}")
        return values

    def indexes(self, name: str, size: int, of: str) -> np.ndarray:
        values = self.array(name).astype(np.int64)
        if values.size and (values.min() < 0 or values.max() >= size):
            raise self.fail(name, f"points outside '{of}' (which has {size} elements)")
        return values


def _text(model: str, name: str, value) -> str:
    raw = value if isinstance(value, (bytes, bytearray)) else str(value).encode()
    if len(raw) > MAX_TEXT_BYTES:
        raise InvalidInput(f"{model}: input '{name}' has an element longer than {MAX_TEXT_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{model}: input '{name}' has an element that is not UTF-8") from None


def same_length(inputs: Inputs, names: Sequence[str], arrays: Sequence[np.ndarray]) -> int:
    """Parallel tensors (columns of one table) must have as many rows as the first."""
    rows = arrays[0].shape[0]
    for name, values in zip(names[1:], arrays[1:]):
        if values.shape[0] != rows:
            raise inputs.fail(name, f"has {values.shape[0]} rows, '{names[0]}' has {rows}")
    return rows


def response(model: str, request: InferRequest, outputs: dict[str, tuple[str, list]]) -> InferResponse:
    """An InferResponse of one-dimensional outputs: name -> (datatype, values)."""
    infer_outputs = [InferOutput(name=name, shape=[len(values)], datatype=datatype, data=list(values)) for name, (datatype, values) in outputs.items()]
    return InferResponse(response_id=request.id or "", model_name=model, infer_outputs=infer_outputs)
