"""The part every LocalStore model shares: declared tensors, metadata, work off the event loop."""

from __future__ import annotations

import asyncio
from typing import Sequence

import kserve
from kserve import InferRequest, InferResponse
from kserve.errors import InvalidInput
from prometheus_client import Counter

from .tensors import Inputs, TensorSpec


# Beside kserve's own request_*_seconds{model_name}: what became of each call, so an SRE sees
# a caller sending bad tensors apart from a model failing. On the server's /metrics (REST port).
REQUESTS = Counter("localstore_model_requests_total", "Inference calls by model and outcome (ok, invalid_input, error)", ["model", "outcome"])


class TensorModel(kserve.Model):
    """A kserve.Model whose inputs and outputs are declared once, as `TensorSpec`s.

    `compute` runs in a worker thread: a forecast fits Prophet for seconds, and the event
    loop must keep answering ServerLive, ModelReady and the other models meanwhile.
    """

    INPUTS: Sequence[TensorSpec] = ()
    OUTPUTS: Sequence[TensorSpec] = ()

    def __init__(self, name: str):
        super().__init__(name)
        # The caller sends everything a call needs; nothing about a tenant stays here.
        self.ready = False

    def load(self) -> bool:
        self.warm_up()
        self.ready = True
        return self.ready

    def warm_up(self) -> None:
        """Run the model once on a small made-up input, so a broken dependency fails at load."""

    def get_input_types(self) -> list[dict]:
        return [spec.metadata() for spec in self.INPUTS]

    def get_output_types(self) -> list[dict]:
        return [spec.metadata() for spec in self.OUTPUTS]

    async def predict(self, payload: InferRequest, headers: dict[str, str] | None = None) -> InferResponse:
        try:
            inputs = Inputs(payload, self.INPUTS, self.name)
            answer = await asyncio.to_thread(self.compute, inputs, payload)
        except InvalidInput:
            REQUESTS.labels(self.name, "invalid_input").inc()
            raise
        except Exception:
            REQUESTS.labels(self.name, "error").inc()
            raise
        REQUESTS.labels(self.name, "ok").inc()
        return answer

    def compute(self, inputs: Inputs, request: InferRequest) -> InferResponse:
        raise NotImplementedError
