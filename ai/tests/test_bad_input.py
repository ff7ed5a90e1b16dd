"""Hostile requests get INVALID_ARGUMENT (or NOT_FOUND) naming the problem; the server goes on."""

import grpc
import pytest
from kserve.protocol.grpc import grpc_predict_v2_pb2 as pb

from conftest import infer, tensor
from test_models import forecast_request


def good_forecast():
    return forecast_request([("pho", "mon", [("2025-06-01", 3.0), ("2025-06-02", 4.0)])], __import__("datetime").date(2025, 6, 1), __import__("datetime").date(2025, 6, 10), 3)


def replace(inputs, name, new):
    return [new if t.name == name else t for t in inputs]


def expect_invalid(stub, model, inputs, *words, code=grpc.StatusCode.INVALID_ARGUMENT):
    with pytest.raises(grpc.RpcError) as raised:
        infer(stub, model, inputs)
    assert raised.value.code() == code, raised.value.details()
    for word in words:
        assert word in raised.value.details(), raised.value.details()
    # Whatever was sent, the server still serves.
    assert stub.ServerLive(pb.ServerLiveRequest(), timeout=5).live


CASES = [
    ("wrong type", lambda i: replace(i, "history_quantity", tensor("history_quantity", "BYTES", ["3", "4"])), ["history_quantity", "FP64"]),
    ("wrong shape", lambda i: replace(i, "horizon_days", tensor("horizon_days", "INT32", [3, 4])), ["horizon_days", "shape"]),
    ("shape and data disagree", lambda i: replace(i, "history_quantity", tensor("history_quantity", "FP64", [3.0], shape=[2])), ["history_quantity", "elements"]),
    ("NaN", lambda i: replace(i, "history_quantity", tensor("history_quantity", "FP64", [3.0, float("nan")])), ["history_quantity", "NaN"]),
    ("negative quantity", lambda i: replace(i, "history_quantity", tensor("history_quantity", "FP64", [3.0, -4.0])), ["history_quantity", "negative"]),
    ("parallel columns of different lengths", lambda i: replace(i, "history_date", tensor("history_date", "BYTES", ["2025-06-01"])), ["history_date", "rows"]),
    ("not a date", lambda i: replace(i, "forecast_start", tensor("forecast_start", "BYTES", ["10/06/2025"])), ["forecast_start", "YYYY-MM-DD"]),
    ("date outside the window", lambda i: replace(i, "history_date", tensor("history_date", "BYTES", ["2025-06-01", "2025-06-20"])), ["history_date", "outside"]),
    ("index out of range", lambda i: replace(i, "history_item", tensor("history_item", "INT32", [0, 7])), ["history_item", "item_id"]),
    ("horizon too long", lambda i: replace(i, "horizon_days", tensor("horizon_days", "INT32", [90])), ["horizon_days", "28"]),
    ("history too long", lambda i: replace(i, "history_start", tensor("history_start", "BYTES", ["2020-01-01"])), ["history_start", "limit"]),
    ("empty item list", lambda i: replace(replace(i, "item_id", tensor("item_id", "BYTES", [])), "item_category", tensor("item_category", "BYTES", [])), ["item_id"]),
    ("empty history", lambda i: replace(replace(replace(i, "history_item", tensor("history_item", "INT32", [])), "history_date", tensor("history_date", "BYTES", [])), "history_quantity", tensor("history_quantity", "FP64", [])), ["history_item", "empty"]),
    ("missing input", lambda i: [t for t in i if t.name != "forecast_start"], ["forecast_start", "missing"]),
    ("unknown input", lambda i: i + [tensor("surprise", "INT32", [1])], ["surprise", "unknown"]),
    ("input twice", lambda i: i + [tensor("horizon_days", "INT32", [3])], ["horizon_days", "twice"]),
    ("not UTF-8", lambda i: replace(i, "item_id", tensor("item_id", "BYTES", [b"\xff\xfe"])), ["item_id", "UTF-8"]),
    ("overlong text", lambda i: replace(i, "item_id", tensor("item_id", "BYTES", ["x" * 5000])), ["item_id", "longer"]),
]


@pytest.mark.parametrize("case, change, words", CASES, ids=[c[0] for c in CASES])
def test_forecast_refuses(stub, case, change, words):
    expect_invalid(stub, "demand-forecast", change(good_forecast()), *words)


def test_an_unknown_model_is_not_found(stub):
    expect_invalid(stub, "crystal-ball", good_forecast(), "crystal-ball", code=grpc.StatusCode.NOT_FOUND)


def test_anomaly_refuses_empty_history_and_bad_hours(stub):
    empty = [
        tensor("history", "FP64", [], shape=[0, 9]),
        tensor("history_weekday", "INT32", []),
        tensor("history_hour", "INT32", []),
        tensor("current", "FP64", [0.0] * 9, shape=[1, 9]),
        tensor("current_weekday", "INT32", [1]),
        tensor("current_hour", "INT32", [12]),
    ]
    expect_invalid(stub, "anomaly", empty, "history", "at least")
    wrong_columns = replace(empty, "current", tensor("current", "FP64", [0.0] * 8, shape=[1, 8]))
    expect_invalid(stub, "anomaly", wrong_columns, "current", "shape")
    bad_hour = replace(empty, "current_hour", tensor("current_hour", "INT32", [24]))
    expect_invalid(stub, "anomaly", bad_hour, "current_hour")


def test_pricing_and_recommender_name_their_inputs(stub):
    pricing = [
        tensor("item_id", "BYTES", ["pho"]),
        tensor("item_name", "BYTES", ["Phở"]),
        tensor("item_price", "INT64", [-50_000]),
        tensor("history_item", "INT32", []),
        tensor("history_weekday", "INT32", []),
        tensor("history_unit_price", "INT64", []),
        tensor("history_quantity", "FP64", []),
    ]
    expect_invalid(stub, "pricing", pricing, "item_price", "negative")
    margin = replace(pricing, "item_price", tensor("item_price", "INT64", [50_000])) + [tensor("margin_target", "FP64", [1.5])]
    expect_invalid(stub, "pricing", margin, "margin_target")
    recommender = [
        tensor("item_id", "BYTES", ["pho"]),
        tensor("item_name", "BYTES", ["Phở"]),
        tensor("item_price", "INT64", [50_000]),
        tensor("forecast_expected", "FP64", [3.0]),
        tensor("forecast_high", "FP64", [4.0]),
        tensor("recent_quantity", "FP64", [10.0]),
        tensor("previous_quantity", "FP64", [10.0]),
        tensor("basket_order", "INT64", [1]),
        tensor("basket_item", "INT32", [0]),
        tensor("for_date", "BYTES", ["2026-12-03"]),
        tensor("dismissed_kind", "BYTES", ["astrology"]),
        tensor("dismissed_count", "INT32", [1]),
    ]
    expect_invalid(stub, "recommender", recommender, "dismissed_kind", "astrology")
