"""One real model server for the whole test run: `python -m localstore_models` on free ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from kserve.protocol.grpc import grpc_predict_v2_pb2 as pb
from kserve.protocol.grpc import grpc_predict_v2_pb2_grpc as rpc

AI_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stub():
    http_port, grpc_port = free_port(), free_port()
    log = open(AI_DIR.parent / ".local" / "log" / "model-server-pytest.log", "w") if (AI_DIR.parent / ".local" / "log").is_dir() else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "localstore_models", "--http_port", str(http_port), "--grpc_port", str(grpc_port), "--configure_logging", "false"],
        cwd=AI_DIR,
        env={**os.environ, "PYTHONPATH": str(AI_DIR)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}", options=[("grpc.max_receive_message_length", 64 * 1024 * 1024), ("grpc.max_send_message_length", 64 * 1024 * 1024)])
    client = rpc.GRPCInferenceServiceStub(channel)
    deadline = time.monotonic() + 180
    while True:
        assert process.poll() is None, "the model server exited during start-up"
        try:
            if client.ServerReady(pb.ServerReadyRequest(), timeout=1).ready:
                break
        except grpc.RpcError:
            pass
        assert time.monotonic() < deadline, "the model server was not ready in 3 minutes"
        time.sleep(0.3)
    yield client
    process.terminate()
    process.wait(timeout=30)
    channel.close()


def tensor(name: str, datatype: str, values, shape=None) -> pb.ModelInferRequest.InferInputTensor:
    """A typed-contents input tensor (one-dimensional unless a shape is given)."""
    values = list(values)
    field = {"BYTES": "bytes_contents", "INT32": "int_contents", "INT64": "int64_contents", "FP64": "fp64_contents", "FP32": "fp32_contents", "BOOL": "bool_contents"}[datatype]
    if datatype == "BYTES":
        values = [v.encode() if isinstance(v, str) else v for v in values]
    contents = pb.InferTensorContents(**{field: values})
    return pb.ModelInferRequest.InferInputTensor(name=name, datatype=datatype, shape=shape or [len(values)], contents=contents)


def infer(stub, model: str, inputs) -> dict:
    """ModelInfer, its outputs as name -> list of Python values."""
    answer = stub.ModelInfer(pb.ModelInferRequest(model_name=model, id="test", inputs=list(inputs)), timeout=120)
    out = {}
    for output in answer.outputs:
        contents = output.contents
        for field in ("bytes_contents", "fp64_contents", "int64_contents", "int_contents", "bool_contents", "fp32_contents"):
            values = list(getattr(contents, field))
            if values:
                out[output.name] = [v.decode() for v in values] if field == "bytes_contents" else values
                break
        else:
            out[output.name] = []
    return out
