"""Behaviour on small data, through the real server's gRPC ModelInfer."""

import json
from datetime import date, timedelta

import numpy as np
from kserve.protocol.grpc import grpc_predict_v2_pb2 as pb

from conftest import infer, tensor
from localstore_models.anomaly import FEATURES
from localstore_models.lunar_calendar import tet


def daily_history(first: date, last: date, level: float, closed_from_tet: int = 3, seed: int = 1):
    """Poisson sales with a weekend lift, closed on mùng 1–3 Tết."""
    rng = np.random.default_rng(seed)
    rows, day = [], first
    while day <= last:
        mean = level * (1.4 if day.weekday() >= 5 else 1.0)
        if 0 <= (day - tet(day.year)).days < closed_from_tet:
            mean = 0
        quantity = int(rng.poisson(mean))
        if quantity:
            rows.append((day.isoformat(), float(quantity)))
        day += timedelta(days=1)
    return rows


def forecast_request(items, history_start: date, forecast_start: date, days: int, lunar: bool | None = None):
    rows = [(index, d, q) for index, (_, _, history) in enumerate(items) for d, q in history]
    inputs = [
        tensor("item_id", "BYTES", [item for item, _, _ in items]),
        tensor("item_category", "BYTES", [category for _, category, _ in items]),
        tensor("history_item", "INT32", [r[0] for r in rows]),
        tensor("history_date", "BYTES", [r[1] for r in rows]),
        tensor("history_quantity", "FP64", [r[2] for r in rows]),
        tensor("history_start", "BYTES", [history_start.isoformat()]),
        tensor("forecast_start", "BYTES", [forecast_start.isoformat()]),
        tensor("horizon_days", "INT32", [days]),
    ]
    if lunar is not None:
        inputs.append(tensor("lunar_observances", "BOOL", [lunar]))
    return inputs


def test_the_forecast_predicts_the_tet_closure_the_calendar_announces(stub):
    first, start = date(2024, 12, 1), date(2026, 2, 10)
    items = [("pho", "mon-chinh", daily_history(first, start - timedelta(days=1), 40))]
    out = infer(stub, "demand-forecast", forecast_request(items, first, start, 14))
    by_date = dict(zip(out["forecast_date"], out["expected"]))
    assert set(out["method"]) == {"prophet"}
    ordinary = np.mean([by_date[(start + timedelta(days=i)).isoformat()] for i in range(3)])
    mung_1 = by_date[tet(2026).isoformat()]
    assert ordinary > 25
    assert mung_1 < 0.3 * ordinary, (mung_1, ordinary)
    marks = dict(zip(out["forecast_date"], out["holiday"]))
    assert marks[tet(2026).isoformat()] == "tet" and marks["2026-02-10"] == "pre_tet"
    lows, highs = np.array(out["low"]), np.array(out["high"])
    assert np.all(lows <= np.array(out["expected"]) + 1e-9) and np.all(np.array(out["expected"]) <= highs + 1e-9)


def test_thin_items_borrow_the_category_or_fall_back_to_seasonal_naive(stub):
    first, start = date(2025, 6, 1), date(2025, 9, 1)
    long = daily_history(first, start - timedelta(days=1), 30)
    recent = daily_history(start - timedelta(days=20), start - timedelta(days=1), 10, seed=2)
    new = daily_history(start - timedelta(days=10), start - timedelta(days=1), 5, seed=3)
    lonely = daily_history(start - timedelta(days=14), start - timedelta(days=1), 6, seed=4)
    items = [("pho", "mon", long), ("bun", "mon", recent), ("nem", "mon", new), ("tra", "nuoc", lonely)]
    out = infer(stub, "demand-forecast", forecast_request(items, first, start, 7))
    methods = dict(zip(out["forecast_item"], out["method"]))
    assert methods == {"pho": "prophet", "bun": "prophet_category", "nem": "prophet_category", "tra": "seasonal_naive"}
    # Seasonal naive repeats last week's same weekdays.
    last_week = {d: q for d, q in lonely}
    tra = [e for item, e in zip(out["forecast_item"], out["expected"]) if item == "tra"]
    assert tra == [last_week.get((start - timedelta(days=7 - i)).isoformat(), 0.0) for i in range(7)]


def hourly_history(weeks: int, seed: int = 5):
    """A lunch-and-dinner shop: revenue, orders, ticket, void share and payment shares per hour."""
    rng = np.random.default_rng(seed)
    rows, weekdays, hours = [], [], []
    for day in range(weeks * 7):
        weekday = day % 7
        for hour in range(24):
            open_hour = 10 <= hour <= 21
            orders = rng.poisson(25 if hour in (11, 12, 18, 19) else 6) if open_hour else 0
            revenue = orders * rng.normal(55_000, 4_000) if orders else 0.0
            momo = rng.uniform(0.25, 0.35) if orders else 0.0
            cash = (1 - momo) * 0.8 if orders else 0.0
            card = (1 - momo) * 0.2 if orders else 0.0
            void = rng.choice([0.0, 0.0, 0.0, 1 / max(orders, 1)]) if orders else 0.0
            rows.append([revenue, orders, revenue / orders if orders else 0.0, void, cash, momo, 0.0, 0.0, card])
            weekdays.append(weekday)
            hours.append(hour)
    return np.array(rows), weekdays, hours


def anomaly_inputs(history, weekdays, hours, current, current_weekdays, current_hours):
    return [
        tensor("history", "FP64", history.reshape(-1).tolist(), shape=list(history.shape)),
        tensor("history_weekday", "INT32", weekdays),
        tensor("history_hour", "INT32", hours),
        tensor("current", "FP64", np.array(current).reshape(-1).tolist(), shape=[len(current), len(FEATURES)]),
        tensor("current_weekday", "INT32", current_weekdays),
        tensor("current_hour", "INT32", current_hours),
    ]


def test_an_injected_anomaly_is_flagged_with_a_reason_and_a_usual_hour_is_not(stub):
    history, weekdays, hours = hourly_history(8)
    usual = [1_380_000.0, 25, 55_000.0, 0.0, 0.56, 0.30, 0.0, 0.0, 0.14]
    no_momo = [1_300_000.0, 24, 54_000.0, 0.0, 0.80, 0.0, 0.0, 0.0, 0.20]
    voids = [1_350_000.0, 25, 54_000.0, 0.4, 0.56, 0.30, 0.0, 0.0, 0.14]
    out = infer(stub, "anomaly", anomaly_inputs(history, weekdays, hours, [usual, no_momo, voids], [2, 2, 5], [12, 12, 19]))
    assert out["anomalous"] == [False, True, True]
    assert out["feature"][1] == "momo_share" and "MoMo" in out["reason"][1] and "thứ Ba" in out["reason"][1]
    assert out["feature"][2] == "void_share" and "hủy" in out["reason"][2]
    assert out["reason"][0] == ""
    assert out["score"][1] > out["score"][0]


def test_recommendations_prep_slow_movers_and_combos_and_dismissed_kinds_come_lower(stub):
    ids = ["pho", "tra", "che", "nem"]
    rng = np.random.default_rng(7)
    orders, lines = [], []
    for order in range(600):
        basket = {0}
        if rng.random() < 0.6:
            basket.add(1)
        if rng.random() < 0.03:
            basket.add(2)
        if rng.random() < 0.1:
            basket = {3, 1} if rng.random() < 0.8 else {3}
        for item in basket:
            orders.append(order)
            lines.append(item)
    base = [
        tensor("item_id", "BYTES", ids),
        tensor("item_name", "BYTES", ["Phở bò", "Trà đá", "Chè ba màu", "Nem rán"]),
        tensor("item_price", "INT64", [55_000, 5_000, 25_000, 30_000]),
        tensor("forecast_expected", "FP64", [41.2, 30.0, 1.5, -1]),
        tensor("forecast_high", "FP64", [48.3, 36.1, 3.2, -1]),
        tensor("recent_quantity", "FP64", [1_200, 800, 12, 90]),
        tensor("previous_quantity", "FP64", [1_150, 760, 40, 85]),
        tensor("basket_order", "INT64", orders),
        tensor("basket_item", "INT32", lines),
        tensor("for_date", "BYTES", ["2026-12-03"]),
    ]
    out = infer(stub, "recommender", base)
    kinds = out["kind"]
    assert kinds[0] == "prep" and out["priority"][0] == 1
    prep = json.loads(out["payload"][0])
    assert {item["itemId"]: item["prepare"] for item in prep["items"]} == {"pho": 49, "tra": 37, "che": 4}
    assert "thứ Năm 03/12" in out["title"][0]
    promotion = kinds.index("promotion")
    assert "Chè ba màu" in out["title"][promotion]
    combos = [json.loads(p) for k, p in zip(kinds, out["payload"]) if k == "combo"]
    assert sorted(combos[0]["itemIds"]) == ["nem", "tra"]
    assert all(p % 1_000 == 0 for p in [c["comboPrice"] for c in combos])

    dismissed = infer(stub, "recommender", base + [tensor("dismissed_kind", "BYTES", ["combo"]), tensor("dismissed_count", "INT32", [3])])
    assert dismissed["kind"].count("combo") == 1
    assert dismissed["priority"][dismissed["kind"].index("combo")] == 3


def test_pricing_measures_elasticity_where_prices_changed_and_uses_rules_elsewhere(stub):
    rng = np.random.default_rng(9)
    history = []
    for day in range(56):
        price = 45_000 if day < 28 else 50_000
        # Elasticity about -0.4: the higher price loses few bowls.
        quantity = rng.poisson(60 * (price / 45_000) ** -0.4)
        history.append((0, day % 7, price, float(quantity)))
        history.append((1, day % 7, 34_700, float(rng.poisson(20))))
    out = infer(
        stub,
        "pricing",
        [
            tensor("item_id", "BYTES", ["pho", "bun", "tra"]),
            tensor("item_name", "BYTES", ["Phở bò", "Bún chả", "Trà đá"]),
            tensor("item_price", "INT64", [50_000, 34_700, 3_000]),
            tensor("item_cost", "INT64", [-1, -1, 2_000]),
            tensor("history_item", "INT32", [h[0] for h in history]),
            tensor("history_weekday", "INT32", [h[1] for h in history]),
            tensor("history_unit_price", "INT64", [h[2] for h in history]),
            tensor("history_quantity", "FP64", [h[3] for h in history]),
        ],
    )
    assert out["method"] == ["elasticity", "rules", "rules"]
    assert -1 < out["elasticity"][0] < 0
    assert out["suggested_price"][0] > 50_000 and out["suggested_price"][0] % 5_000 == 0
    assert out["suggested_price"][1] == 35_000
    assert out["suggested_price"][2] == 6_000 and "biên lợi nhuận" in out["explanation"][2]


def test_metadata_names_every_tensor(stub):
    for model in ("demand-forecast", "anomaly", "recommender", "pricing"):
        assert stub.ModelReady(pb.ModelReadyRequest(name=model), timeout=5).ready
    metadata = stub.ModelMetadata(pb.ModelMetadataRequest(name="anomaly"), timeout=5)
    assert [t.name for t in metadata.inputs][:3] == ["history", "history_weekday", "history_hour"]
    assert list(metadata.inputs[0].shape) == [-1, len(FEATURES)]
    assert "reason" in [t.name for t in metadata.outputs]
