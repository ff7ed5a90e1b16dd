"""One kserve.ModelServer process serving every LocalStore model: REST and gRPC (OIP v2)."""

from __future__ import annotations

from kserve import ModelServer

from .anomaly import AnomalyModel
from .forecast import DemandForecastModel
from .pricing import PricingModel
from .recommender import RecommenderModel


def build_models():
    return [DemandForecastModel(), AnomalyModel(), RecommenderModel(), PricingModel()]


def serve() -> None:
    models = build_models()
    for model in models:
        model.load()
    # Ports and message limits come from kserve's own flags (--http_port, --grpc_port, …).
    ModelServer().start(models)
