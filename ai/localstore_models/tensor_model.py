"""The part every LocalStore model shares: declared tensors, metadata, work off the event loop."""

from __future__ import annotations

import asyncio
from typing import Sequence

import kserve
from kserve import InferRequest, InferResponse

from .tensors import Inputs, TensorSpec


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
        inputs = Inputs(payload, self.INPUTS, self.name)
        return await asyncio.to_thread(self.compute, inputs, payload)

    def compute(self, inputs: Inputs, request: InferRequest) -> InferResponse:
        raise NotImplementedError
