"""anomaly: is the hour that just closed off for this location, at this weekday and hour?

Each hour is described by nine figures (revenue, orders, average ticket, void share and the
share of revenue by payment method). They are first turned into deviations from the same
location's usual value at that weekday and hour (median, robust spread), so a quiet 15:00
is not compared with the lunch rush. An IsolationForest fitted on the history's own
deviations says how unusual the new hour's pattern is; an hour is flagged when it is as
unusual as the rarest 1 % of the history and one figure is far off on its own, and the
reason names that figure in plain Vietnamese.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import IsolationForest

from .money_vn import dong, percent, weekday_vi
from .tensor_model import TensorModel
from .tensors import Inputs, TensorSpec, response, same_length

FEATURES = ("revenue", "orders", "avg_ticket", "void_share", "cash_share", "momo_share", "zalopay_share", "vnpay_share", "card_share")
SHARE_FEATURES = {"void_share", "cash_share", "momo_share", "zalopay_share", "vnpay_share", "card_share"}
METHOD_NAMES_VI = {"cash_share": "tiền mặt", "momo_share": "MoMo", "zalopay_share": "ZaloPay", "vnpay_share": "VNPay", "card_share": "thẻ"}
MAX_HISTORY_ROWS = 24 * 7 * 110
MAX_CURRENT_ROWS = 24 * 7
# Rows of the same weekday and hour needed for a baseline; fewer: the same hour, any day.
MIN_BASELINE_ROWS = 4
# The spread never goes under this, so that a flat history does not make noise an alarm.
SPREAD_FLOOR = {"revenue": 20_000.0, "orders": 1.0, "avg_ticket": 5_000.0}
SHARE_SPREAD_FLOOR = 0.05
# A share over few orders is noisy: it is judged by the binomial deviance of that many
# orders against the usual share, taken as at least this (one void in five is no alarm).
MIN_SHARE_FOR_NOISE = 0.05
# Flagged: as unusual as the rarest 3 % of the history's hours with one figure 3.5 spreads
# off, or any figure 4.5 spreads off (a single extreme figure the forest may not isolate).
FLAG_DEVIATION = 3.5
FLAG_QUANTILE = 0.97
FLAG_DEVIATION_ALONE = 4.5


def share_deviance(observed: np.ndarray, usual: np.ndarray, orders: float) -> np.ndarray:
    """Signed binomial deviance residual of shares seen over `orders` orders, in spreads."""
    p = np.clip(usual, MIN_SHARE_FOR_NOISE, 1 - MIN_SHARE_FOR_NOISE)
    x = np.clip(observed, 1e-9, 1 - 1e-9)
    divergence = x * np.log(x / p) + (1 - x) * np.log((1 - x) / (1 - p))
    return np.sign(observed - usual) * np.sqrt(2 * max(orders, 0.0) * np.maximum(divergence, 0.0))


class Baselines:
    """Median and robust spread of each figure by (weekday, hour), with an hourly fallback."""

    def __init__(self, history: np.ndarray, weekdays: np.ndarray, hours: np.ndarray):
        self.by_slot: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self.by_hour: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for hour in range(24):
            at_hour = hours == hour
            if at_hour.sum() >= MIN_BASELINE_ROWS:
                self.by_hour[hour] = self._centre(history[at_hour])
            for weekday in range(7):
                rows = at_hour & (weekdays == weekday)
                if rows.sum() >= MIN_BASELINE_ROWS:
                    self.by_slot[(weekday, hour)] = self._centre(history[rows])

    @staticmethod
    def _centre(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        median = np.median(rows, axis=0)
        spread = 1.4826 * np.median(np.abs(rows - median), axis=0)
        floors = np.array([SPREAD_FLOOR.get(name, SHARE_SPREAD_FLOOR) for name in FEATURES])
        # Counting noise: orders vary by at least √orders (Poisson), revenue by a ticket times that.
        counting = np.sqrt(max(median[1], 1.0))
        floors[0] = max(floors[0], median[2] * counting, 0.1 * median[0])
        floors[1] = max(floors[1], counting)
        floors[2] = max(floors[2], 0.1 * median[2])
        return median, np.maximum(spread, floors)

    def of(self, weekday: int, hour: int):
        return self.by_slot.get((weekday, hour)) or self.by_hour.get(hour)

    def deviations(self, rows: np.ndarray, weekdays: np.ndarray, hours: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Signed deviations in spreads, the medians used, and which rows had a baseline."""
        deviations = np.zeros_like(rows)
        medians = np.zeros_like(rows)
        known = np.zeros(len(rows), dtype=bool)
        for index, (row, weekday, hour) in enumerate(zip(rows, weekdays, hours)):
            baseline = self.of(int(weekday), int(hour))
            if baseline is None:
                continue
            median, spread = baseline
            deviations[index, :3] = (row[:3] - median[:3]) / spread[:3]
            deviations[index, 3:] = share_deviance(row[3:], median[3:], row[1])
            medians[index] = median
            known[index] = True
        return deviations, medians, known


def reason_vi(feature: str, observed: float, usual: float, weekday: int, hour: int) -> str:
    when = f"lúc {hour:02d}:00–{(hour + 1) % 24:02d}:00 {weekday_vi(weekday)}"
    if feature == "revenue":
        change = (observed - usual) / usual if usual else 1.0
        direction = "thấp hơn" if observed < usual else "cao hơn"
        return f"Doanh thu {dong(observed)} {when}, {direction} {percent(abs(change))} so với thường lệ ({dong(usual)})."
    if feature == "orders":
        direction = "ít" if observed < usual else "nhiều"
        return f"Chỉ có {observed:.0f} đơn {when}, thường là {usual:.0f} đơn." if direction == "ít" else f"Có {observed:.0f} đơn {when}, nhiều bất thường (thường là {usual:.0f} đơn)."
    if feature == "avg_ticket":
        return f"Giá trị trung bình mỗi đơn {dong(observed)} {when}, thường là {dong(usual)}."
    if feature == "void_share":
        return f"Tỷ lệ đơn bị hủy {percent(observed)} {when}, thường chỉ {percent(usual)}."
    method = METHOD_NAMES_VI[feature]
    if observed < usual:
        return f"Thanh toán {method} chỉ chiếm {percent(observed)} doanh thu {when}, thường là {percent(usual)}."
    return f"Thanh toán {method} chiếm {percent(observed)} doanh thu {when}, cao bất thường (thường là {percent(usual)})."


class AnomalyModel(TensorModel):
    INPUTS = (
        TensorSpec("history", "FP64", (-1, len(FEATURES)), "past hours of the location, one row each: " + ", ".join(FEATURES)),
        TensorSpec("history_weekday", "INT32", (-1,), "weekday of each history row, 0 = Sunday"),
        TensorSpec("history_hour", "INT32", (-1,), "local hour of each history row, 0–23"),
        TensorSpec("current", "FP64", (-1, len(FEATURES)), "the hours to judge, same columns"),
        TensorSpec("current_weekday", "INT32", (-1,), "weekday of each current row, 0 = Sunday"),
        TensorSpec("current_hour", "INT32", (-1,), "local hour of each current row, 0–23"),
    )
    OUTPUTS = (
        TensorSpec("score", "FP64", (-1,), "how unusual the hour is, 0 (usual) to 1"),
        TensorSpec("anomalous", "BOOL", (-1,), "whether the hour is flagged"),
        TensorSpec("feature", "BYTES", (-1,), "the figure furthest from its usual value"),
        TensorSpec("observed", "FP64", (-1,), "that figure this hour"),
        TensorSpec("usual", "FP64", (-1,), "its usual value at this weekday and hour"),
        TensorSpec("reason", "BYTES", (-1,), "why, in Vietnamese (empty when the hour is usual)"),
    )

    def __init__(self, name: str = "anomaly"):
        super().__init__(name)

    def compute(self, inputs: Inputs, request):
        history = inputs.at_most("history", MAX_HISTORY_ROWS, inputs.non_negative("history"))
        history_weekday = self._within(inputs, "history_weekday", 6, "weekdays 0 (Sunday) to 6")
        history_hour = self._within(inputs, "history_hour", 23, "hours 0 to 23")
        same_length(inputs, ["history", "history_weekday", "history_hour"], [history, history_weekday, history_hour])
        current = inputs.at_most("current", MAX_CURRENT_ROWS, inputs.non_negative("current"))
        current_weekday = self._within(inputs, "current_weekday", 6, "weekdays 0 (Sunday) to 6")
        current_hour = self._within(inputs, "current_hour", 23, "hours 0 to 23")
        same_length(inputs, ["current", "current_weekday", "current_hour"], [current, current_weekday, current_hour])
        if history.shape[0] < 7 * MIN_BASELINE_ROWS:
            raise inputs.fail("history", f"has {history.shape[0]} rows: at least {7 * MIN_BASELINE_ROWS} hours are needed to know what is usual")
        for name, values in (("history", history), ("current", current)):
            shares = values[:, 3:]
            if shares.size and shares.max() > 1:
                raise inputs.fail(name, "has a share (void or payment method) above 1")

        baselines = Baselines(history, history_weekday, history_hour)
        train, _, known_train = baselines.deviations(history, history_weekday, history_hour)
        # Figures that never moved (a method the shop does not take) only dilute the forest.
        varying = train[known_train].std(axis=0) > 0
        forest = IsolationForest(n_estimators=150, random_state=0).fit(train[known_train][:, varying])
        threshold = np.quantile(-forest.score_samples(train[known_train][:, varying]), FLAG_QUANTILE)

        deviations, medians, known = baselines.deviations(current, current_weekday, current_hour)
        scores = -forest.score_samples(deviations[:, varying]) if len(current) else np.zeros(0)
        out = {"score": [], "anomalous": [], "feature": [], "observed": [], "usual": [], "reason": []}
        for index in range(len(current)):
            worst = self._named_feature(deviations[index])
            furthest = abs(deviations[index][worst])
            flagged = bool(known[index] and ((scores[index] >= threshold and furthest >= FLAG_DEVIATION) or furthest >= FLAG_DEVIATION_ALONE))
            observed, usual = float(current[index][worst]), float(medians[index][worst])
            out["score"].append(round(float(scores[index]) if known[index] else 0.0, 4))
            out["anomalous"].append(flagged)
            out["feature"].append(FEATURES[worst])
            out["observed"].append(observed)
            out["usual"].append(usual)
            out["reason"].append(reason_vi(FEATURES[worst], observed, usual, int(current_weekday[index]), int(current_hour[index])) if flagged else "")
        return response(
            self.name,
            request,
            {
                "score": ("FP64", out["score"]),
                "anomalous": ("BOOL", out["anomalous"]),
                "feature": ("BYTES", out["feature"]),
                "observed": ("FP64", out["observed"]),
                "usual": ("FP64", out["usual"]),
                "reason": ("BYTES", out["reason"]),
            },
        )

    @staticmethod
    def _named_feature(deviation: np.ndarray) -> int:
        """The figure furthest off; for payment shares, the method that fell rather than the
        one that rose in its place (MoMo gone quiet is the news, not cash taking up the slack)."""
        worst = int(np.argmax(np.abs(deviation)))
        if FEATURES[worst] in METHOD_NAMES_VI and deviation[worst] > 0:
            methods = [i for i, name in enumerate(FEATURES) if name in METHOD_NAMES_VI]
            fell = min(methods, key=lambda i: deviation[i])
            if deviation[fell] < 0 and abs(deviation[fell]) >= FLAG_DEVIATION:
                return fell
        return worst

    @staticmethod
    def _within(inputs: Inputs, name: str, highest: int, what: str) -> np.ndarray:
        values = inputs.array(name)
        if values.size and (values.min() < 0 or values.max() > highest):
            raise inputs.fail(name, f"must hold {what}")
        return values
