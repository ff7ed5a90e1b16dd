"""demand-forecast: how many of each item a location will sell on each of the next days.

Prophet per item on the daily quantities, with weekly seasonality (yearly once there is a
year of history) and the Vietnamese holidays, multiplicative so that a closed mùng 1 is a
factor of zero rather than a fixed number of bowls taken off. An item whose own history is
thin borrows its category's curve, scaled by the item's recent share of the category. With
too little history even for that, the forecast is the seasonal-naive one (same weekday last
week), and says so in `method`.
"""

from __future__ import annotations

import logging
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from prometheus_client import Counter

from .holidays_vn import holiday_mark, holiday_observations, prophet_holidays
from .tensor_model import TensorModel
from .tensors import Inputs, TensorSpec, response, same_length


MAX_ITEMS = 500
MAX_HISTORY_ROWS = 400_000
MAX_HISTORY_DAYS = 1_100
MAX_HORIZON_DAYS = 28
# An item needs this many days since its first sale, with this many selling days, for a
# model of its own; a category needs the same of its summed series.
MIN_MODEL_DAYS = 56
MIN_SELLING_DAYS = 28
# The seasonal-naive fallback needs one full week.
MIN_NAIVE_DAYS = 7
# The item's share of its category is measured over the last four weeks.
SHARE_WINDOW_DAYS = 28
INTERVAL_WIDTH = 0.8
UNCERTAINTY_SAMPLES = 300
# The interval is calibrated on the model's own errors over the last half year of history.
CALIBRATION_DAYS = 182
MAX_OPTIMISER_ITERATIONS = 1_000

METHOD_PROPHET = "prophet"
METHOD_CATEGORY = "prophet_category"
METHOD_NAIVE = "seasonal_naive"
METHOD_RECENT_MEAN = "recent_mean"

# How items were forecast: a rise of seasonal_naive says histories got thin (or a caller cut them).
SERIES = Counter("localstore_forecast_items_total", "Items forecast, by method", ["method"])


@dataclass(frozen=True)
class DayForecast:
    expected: np.ndarray
    low: np.ndarray
    high: np.ndarray


def fit_prophet(series: pd.Series, horizon: pd.DatetimeIndex, holidays: pd.DataFrame) -> DayForecast:
    """Prophet on one daily series (indexed by date), forecast over `horizon`."""
    from prophet import Prophet

    # Both log every fit at INFO (and warn of thin yearly history, which is decided above).
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)
    logging.getLogger("prophet").setLevel(logging.ERROR)

    span_days = (series.index[-1] - series.index[0]).days + 1
    model = Prophet(
        growth="linear",
        weekly_seasonality=True,
        yearly_seasonality=6 if span_days >= 365 else False,
        daily_seasonality=False,
        seasonality_mode="multiplicative",
        holidays=holidays,
        interval_width=INTERVAL_WIDTH,
        uncertainty_samples=UNCERTAINTY_SAMPLES,
    )
    frame = pd.DataFrame({"ds": series.index, "y": series.to_numpy(dtype=float)})
    # A near-noiseless series can keep the optimiser going for a minute; real ones converge in
    # a few hundred iterations.
    model.fit(frame, iter=MAX_OPTIMISER_ITERATIONS)
    # A fixed seed for the interval's samples: the same request gets the same answer.
    np.random.seed(0)
    predicted = model.predict(pd.DataFrame({"ds": horizon}))
    expected = np.clip(predicted["yhat"].to_numpy(), 0, None)
    low, high = calibrated_band(model, frame, expected, holiday_observations(holidays, series.index[0], series.index[-1], horizon))
    return DayForecast(
        expected=expected,
        low=np.clip(np.minimum(predicted["yhat_lower"].to_numpy(), low), 0, None),
        high=np.clip(np.maximum(predicted["yhat_upper"].to_numpy(), high), 0, None),
    )


def calibrated_band(model, frame: pd.DataFrame, expected: np.ndarray, holiday_seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An 80 % band from the fit's own errors, scaled like counts (spread ∝ √quantity).

    Prophet's band assumes one noise level for every day, so with multiplicative seasonality
    it is too narrow on a busy Saturday and too wide on a quiet Monday, and its interval
    covered ~70 % of the demo's days. Here the band is the 10th and 90th percentiles of
    the last half year's errors, each divided by √fitted, put back at √expected. The
    forecast keeps whichever of the two bands is wider at each end, so Prophet's growing
    trend uncertainty still widens the far days.

    A holiday's effect is learnt from the few times the history saw it (Tết once or twice),
    so its own error adds to the day's noise: with k sightings the error's variance is about
    noise² · (1 + 1/k), and the band is √(1 + 1/k) wider. An effect never seen counts as
    half a sighting (√3 wider): the model then knows nothing of it.
    """
    recent = frame.tail(CALIBRATION_DAYS)
    samples = model.uncertainty_samples
    model.uncertainty_samples = 0  # fitted values only: no sampling over the history
    try:
        fitted = np.clip(model.predict(recent[["ds"]])["yhat"].to_numpy(), 0, None)
    finally:
        model.uncertainty_samples = samples
    scaled_errors = (recent["y"].to_numpy() - fitted) / np.sqrt(np.maximum(fitted, 1.0))
    low_error, high_error = np.quantile(scaled_errors, [(1 - INTERVAL_WIDTH) / 2, (1 + INTERVAL_WIDTH) / 2])
    holiday_factor = np.where(holiday_seen < 0, 1.0, np.sqrt(1.0 + 1.0 / np.maximum(holiday_seen, 0.5)))
    spread = np.sqrt(np.maximum(expected, 1.0)) * holiday_factor
    return expected + low_error * spread, expected + high_error * spread


def seasonal_naive(series: pd.Series, horizon: pd.DatetimeIndex) -> DayForecast:
    """Same weekday last week, with an 80 % band from the history's week-on-week changes."""
    values = series.to_numpy(dtype=float)
    last_week = values[-7:]
    # The horizon may start some days after the history ends; keep the weekdays aligned.
    offset = (horizon[0] - series.index[-1]).days - 1
    expected = np.array([last_week[(offset + i) % 7] for i in range(len(horizon))])
    changes = values[7:] - values[:-7]
    if changes.size >= 4:
        low_change, high_change = np.quantile(changes, [(1 - INTERVAL_WIDTH) / 2, (1 + INTERVAL_WIDTH) / 2])
    else:
        spread = max(1.0, float(np.sqrt(max(expected.mean(), 0))))
        low_change, high_change = -spread, spread
    return DayForecast(expected=expected, low=np.clip(expected + low_change, 0, None), high=np.clip(expected + high_change, 0, None))


class DemandForecastModel(TensorModel):
    INPUTS = (
        TensorSpec("item_id", "BYTES", (-1,), "the items to forecast (their ids)"),
        TensorSpec("item_category", "BYTES", (-1,), "each item's category; thin items borrow its curve"),
        TensorSpec("history_item", "INT32", (-1,), "history row: index into item_id"),
        TensorSpec("history_date", "BYTES", (-1,), "history row: business date, YYYY-MM-DD"),
        TensorSpec("history_quantity", "FP64", (-1,), "history row: quantity sold that day, ≥ 0"),
        TensorSpec("history_start", "BYTES", (1,), "first business date the history covers; a day without a row sold nothing"),
        TensorSpec("forecast_start", "BYTES", (1,), "first day to forecast; the history ends the day before"),
        TensorSpec("horizon_days", "INT32", (1,), f"days to forecast, 1 to {MAX_HORIZON_DAYS}"),
        TensorSpec("lunar_observances", "BOOL", (1,), "rằm and mùng 1 move this location's trade (default false)", optional=True),
    )
    OUTPUTS = (
        TensorSpec("forecast_item", "BYTES", (-1,), "item id of the row"),
        TensorSpec("forecast_date", "BYTES", (-1,), "the day, YYYY-MM-DD"),
        TensorSpec("expected", "FP64", (-1,), "expected quantity"),
        TensorSpec("low", "FP64", (-1,), "lower end of the 80 % interval"),
        TensorSpec("high", "FP64", (-1,), "upper end of the 80 % interval"),
        TensorSpec("method", "BYTES", (-1,), "prophet | prophet_category | seasonal_naive | recent_mean (under a week of sales)"),
        TensorSpec("holiday", "BYTES", (-1,), "the holiday the day falls on (tet, pre_tet, hung_kings, …) or empty"),
    )

    def __init__(self, name: str = "demand-forecast", workers: int | None = None):
        super().__init__(name)
        self.workers = workers or max(1, os.cpu_count() or 1)

    def warm_up(self) -> None:
        # Eight weeks of Poisson counts: a noiseless series would make the warm-up slow.
        days = pd.date_range("2025-01-01", periods=56, freq="D")
        counts = np.random.default_rng(0).poisson(np.tile([3.0, 4, 5, 4, 6, 9, 8], 8)).astype(float)
        fit_prophet(pd.Series(counts, index=days), pd.date_range("2025-02-26", periods=2, freq="D"), prophet_holidays(date(2025, 1, 1), date(2025, 2, 28)))

    def compute(self, inputs: Inputs, request):
        item_ids = inputs.at_most("item_id", MAX_ITEMS, inputs.array("item_id"))
        categories = inputs.array("item_category")
        same_length(inputs, ["item_id", "item_category"], [item_ids, categories])
        if item_ids.size == 0:
            raise inputs.fail("item_id", "is empty: name at least one item to forecast")
        if len(set(item_ids)) != item_ids.size:
            raise inputs.fail("item_id", "names an item twice")
        rows_item = inputs.at_most("history_item", MAX_HISTORY_ROWS, inputs.indexes("history_item", item_ids.size, "item_id"))
        rows_date = inputs.dates("history_date")
        rows_quantity = inputs.non_negative("history_quantity")
        same_length(inputs, ["history_item", "history_date", "history_quantity"], [rows_item, rows_date, rows_quantity])
        if rows_item.size == 0:
            raise inputs.fail("history_item", "is empty: send at least one day of sales (a location that sold nothing has nothing to forecast)")
        history_start = inputs.dates("history_start")[0]
        forecast_start = inputs.dates("forecast_start")[0]
        horizon_days = int(inputs.scalar("horizon_days"))
        if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
            raise inputs.fail("horizon_days", f"must be 1 to {MAX_HORIZON_DAYS}, got {horizon_days}")
        history_days = int((forecast_start - history_start).astype(int))
        if history_days < 1:
            raise inputs.fail("history_start", "must be before forecast_start")
        if history_days > MAX_HISTORY_DAYS:
            raise inputs.fail("history_start", f"starts {history_days} days before forecast_start, more than the limit of {MAX_HISTORY_DAYS}")
        if rows_date.size and (rows_date.min() < history_start or rows_date.max() >= forecast_start):
            raise inputs.fail("history_date", "has a date outside history_start … the day before forecast_start")
        lunar = bool(inputs.scalar("lunar_observances", False))

        days = pd.date_range(pd.Timestamp(history_start), periods=history_days, freq="D")
        horizon = pd.date_range(pd.Timestamp(forecast_start), periods=horizon_days, freq="D")
        grid = np.zeros((item_ids.size, history_days))
        np.add.at(grid, (rows_item, (rows_date - history_start).astype(int)), rows_quantity)
        holidays = prophet_holidays(days[0].date(), horizon[-1].date(), lunar)
        forecasts = self._forecast_all(grid, item_ids, categories, days, horizon, holidays)

        for method, _ in forecasts:
            SERIES.labels(method).inc()
        marks = [holiday_mark(day.date(), lunar) for day in horizon]
        out = {name: [] for name in ("forecast_item", "forecast_date", "expected", "low", "high", "method", "holiday")}
        for index, item in enumerate(item_ids):
            method, forecast = forecasts[index]
            for day_index, day in enumerate(horizon):
                out["forecast_item"].append(item)
                out["forecast_date"].append(day.strftime("%Y-%m-%d"))
                out["expected"].append(round(float(forecast.expected[day_index]), 3))
                out["low"].append(round(float(forecast.low[day_index]), 3))
                out["high"].append(round(float(forecast.high[day_index]), 3))
                out["method"].append(method)
                out["holiday"].append(marks[day_index])
        return response(
            self.name,
            request,
            {
                "forecast_item": ("BYTES", out["forecast_item"]),
                "forecast_date": ("BYTES", out["forecast_date"]),
                "expected": ("FP64", out["expected"]),
                "low": ("FP64", out["low"]),
                "high": ("FP64", out["high"]),
                "method": ("BYTES", out["method"]),
                "holiday": ("BYTES", out["holiday"]),
            },
        )

    def _forecast_all(self, grid, item_ids, categories, days, horizon, holidays):
        """(method, DayForecast) for every item, the Prophet fits spread over worker threads."""
        first_sale = np.array([int(np.argmax(row > 0)) if row.any() else len(days) for row in grid])
        selling_days = (grid > 0).sum(axis=1)
        own = [(len(days) - first_sale[i]) >= MIN_MODEL_DAYS and selling_days[i] >= MIN_SELLING_DAYS for i in range(len(item_ids))]

        category_series: dict[str, np.ndarray] = {}
        for index, category in enumerate(categories):
            if not own[index]:
                category_series.setdefault(category, grid[categories == category].sum(axis=0))
        category_ok = {}
        for category, series in category_series.items():
            start = int(np.argmax(series > 0)) if series.any() else len(days)
            category_ok[category] = (len(days) - start) >= MIN_MODEL_DAYS and (series > 0).sum() >= MIN_SELLING_DAYS

        def series_of(values: np.ndarray, start: int) -> pd.Series:
            return pd.Series(values[start:], index=days[start:])

        jobs: dict[tuple[str, str], pd.Series] = {}
        for index in range(len(item_ids)):
            if own[index]:
                jobs[("item", str(index))] = series_of(grid[index], first_sale[index])
            elif category_ok.get(categories[index]):
                series = category_series[categories[index]]
                jobs.setdefault(("category", categories[index]), series_of(series, int(np.argmax(series > 0))))
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = {key: pool.submit(fit_prophet, series, horizon, holidays) for key, series in jobs.items()}
            fitted = {key: future.result() for key, future in futures.items()}

        results = []
        for index in range(len(item_ids)):
            row = grid[index]
            if own[index]:
                results.append((METHOD_PROPHET, fitted[("item", str(index))]))
                continue
            category = categories[index]
            if category_ok.get(category):
                share_base = category_series[category][-SHARE_WINDOW_DAYS:].sum()
                share = row[-SHARE_WINDOW_DAYS:].sum() / share_base if share_base > 0 else 0.0
                curve = fitted[("category", category)]
                results.append((METHOD_CATEGORY, DayForecast(curve.expected * share, curve.low * share, curve.high * share)))
                continue
            active = len(days) - first_sale[index]
            if active >= MIN_NAIVE_DAYS:
                results.append((METHOD_NAIVE, seasonal_naive(series_of(row, first_sale[index]), horizon)))
            else:
                # A new item (or none sold yet): its mean since the first sale, Poisson-wide.
                mean = float(row[first_sale[index]:].mean()) if active > 0 else 0.0
                expected = np.full(len(horizon), mean)
                spread = 1.2816 * math.sqrt(mean)
                results.append((METHOD_RECENT_MEAN, DayForecast(expected, np.clip(expected - spread, 0, None), expected + spread)))
        return results
