"""pricing: a suggested price per item, with the reason.

Where the location itself has sold an item at two or more prices (each for a week or
more), the price elasticity is estimated from those days: log quantity on log price, with
the weekday as a control. An inelastic item (|e| < 1) earns more at a higher price; an
elastic one sells enough more at a lower price to make up for it. The move is kept within
10 % and lands on a price point (35.000 ₫, not 34.700 ₫).

Otherwise rules: a price under the margin target's floor (when the cost is known) is
raised to it; a price far from what competitors ask (when given) is moved toward their
median; a price off the price points is rounded to one. Otherwise: keep it.
"""

from __future__ import annotations

import math

import numpy as np

from .money_vn import dong, next_price_point, percent, price_point
from .tensor_model import TensorModel
from .tensors import Inputs, TensorSpec, response, same_length

MAX_ITEMS = 1_000
MAX_HISTORY_ROWS = 400_000
MIN_DAYS_PER_PRICE = 7
MAX_MOVE = 0.10
DEFAULT_MARGIN_TARGET = 0.65
COMPETITOR_GAP = 0.15


def estimate_elasticity(prices: np.ndarray, quantities: np.ndarray, weekdays: np.ndarray) -> float | None:
    """Least squares of log(q + 1) on log(price) and weekday dummies; None without price variation."""
    levels, counts = np.unique(prices, return_counts=True)
    if (counts >= MIN_DAYS_PER_PRICE).sum() < 2:
        return None
    keep = np.isin(prices, levels[counts >= MIN_DAYS_PER_PRICE]) & (prices > 0)
    x_price = np.log(prices[keep].astype(float))
    dummies = np.stack([(weekdays[keep] == day).astype(float) for day in range(7)], axis=1)
    design = np.column_stack([x_price, dummies])
    coefficients, *_ = np.linalg.lstsq(design, np.log1p(quantities[keep]), rcond=None)
    return float(coefficients[0])


class PricingModel(TensorModel):
    INPUTS = (
        TensorSpec("item_id", "BYTES", (-1,), "the items to price (ids)"),
        TensorSpec("item_name", "BYTES", (-1,), "each item's name"),
        TensorSpec("item_price", "INT64", (-1,), "each item's current price in đồng"),
        TensorSpec("item_cost", "INT64", (-1,), "each item's cost in đồng, -1 when unknown", optional=True),
        TensorSpec("history_item", "INT32", (-1,), "history row: index into item_id"),
        TensorSpec("history_weekday", "INT32", (-1,), "history row: weekday, 0 = Sunday"),
        TensorSpec("history_unit_price", "INT64", (-1,), "history row: the price it sold at that day"),
        TensorSpec("history_quantity", "FP64", (-1,), "history row: quantity sold that day at that price"),
        TensorSpec("margin_target", "FP64", (1,), f"gross margin to keep, 0–0.95 (default {DEFAULT_MARGIN_TARGET})", optional=True),
        TensorSpec("competitor_item", "INT32", (-1,), "competitor price: index into item_id", optional=True),
        TensorSpec("competitor_price", "INT64", (-1,), "competitor price in đồng", optional=True),
    )
    OUTPUTS = (
        TensorSpec("item_id", "BYTES", (-1,), "the item"),
        TensorSpec("current_price", "INT64", (-1,), "its price now"),
        TensorSpec("suggested_price", "INT64", (-1,), "the suggested price (equal: keep it)"),
        TensorSpec("elasticity", "FP64", (-1,), "estimated price elasticity, NaN when not measurable"),
        TensorSpec("method", "BYTES", (-1,), "elasticity | rules"),
        TensorSpec("explanation", "BYTES", (-1,), "why, Vietnamese"),
    )

    def __init__(self, name: str = "pricing"):
        super().__init__(name)

    def compute(self, inputs: Inputs, request):
        ids = inputs.at_most("item_id", MAX_ITEMS, inputs.array("item_id"))
        names = inputs.array("item_name")
        prices = inputs.non_negative("item_price")
        costs = inputs.array("item_cost") if inputs.has("item_cost") else np.full(ids.size, -1, dtype=np.int64)
        same_length(inputs, ["item_id", "item_name", "item_price", "item_cost"], [ids, names, prices, costs])
        if costs.size and costs.min() < -1:
            raise inputs.fail("item_cost", "must be ≥ 0, or -1 when unknown")
        rows_item = inputs.at_most("history_item", MAX_HISTORY_ROWS, inputs.indexes("history_item", ids.size, "item_id"))
        rows_weekday = inputs.array("history_weekday")
        rows_price = inputs.non_negative("history_unit_price")
        rows_quantity = inputs.non_negative("history_quantity")
        same_length(inputs, ["history_item", "history_weekday", "history_unit_price", "history_quantity"], [rows_item, rows_weekday, rows_price, rows_quantity])
        if rows_weekday.size and (rows_weekday.min() < 0 or rows_weekday.max() > 6):
            raise inputs.fail("history_weekday", "must hold weekdays 0 (Sunday) to 6")
        margin = float(inputs.scalar("margin_target", DEFAULT_MARGIN_TARGET))
        if not 0 <= margin <= 0.95:
            raise inputs.fail("margin_target", f"must be between 0 and 0.95, got {margin}")
        competitors: dict[int, list[int]] = {}
        if inputs.has("competitor_item") or inputs.has("competitor_price"):
            if not (inputs.has("competitor_item") and inputs.has("competitor_price")):
                raise inputs.fail("competitor_price", "and competitor_item come together")
            competitor_item = inputs.indexes("competitor_item", ids.size, "item_id")
            competitor_price = inputs.non_negative("competitor_price")
            same_length(inputs, ["competitor_item", "competitor_price"], [competitor_item, competitor_price])
            for item, price in zip(competitor_item.tolist(), competitor_price.tolist()):
                competitors.setdefault(item, []).append(price)

        out = {"item_id": [], "current_price": [], "suggested_price": [], "elasticity": [], "method": [], "explanation": []}
        for index in range(ids.size):
            rows = rows_item == index
            elasticity = estimate_elasticity(rows_price[rows], rows_quantity[rows], rows_weekday[rows])
            if elasticity is not None:
                suggested, explanation = self._by_elasticity(int(prices[index]), elasticity)
                method = "elasticity"
            else:
                suggested, explanation = self._by_rules(int(prices[index]), int(costs[index]), margin, competitors.get(index, []))
                method = "rules"
            out["item_id"].append(str(ids[index]))
            out["current_price"].append(int(prices[index]))
            out["suggested_price"].append(int(suggested))
            out["elasticity"].append(float("nan") if elasticity is None else round(elasticity, 3))
            out["method"].append(method)
            out["explanation"].append(f"{names[index]}: {explanation}")
        return response(
            self.name,
            request,
            {
                "item_id": ("BYTES", out["item_id"]),
                "current_price": ("INT64", out["current_price"]),
                "suggested_price": ("INT64", out["suggested_price"]),
                "elasticity": ("FP64", out["elasticity"]),
                "method": ("BYTES", out["method"]),
                "explanation": ("BYTES", out["explanation"]),
            },
        )

    @staticmethod
    def _by_elasticity(price: int, elasticity: float) -> tuple[int, str]:
        shown = f"{elasticity:.2f}".replace(".", ",")
        if -1 < elasticity <= 0:
            target = next_price_point(price, "up")
            if target > price * (1 + MAX_MOVE):
                return price, f"khách ít nhạy với giá (hệ số co giãn {shown}), nhưng không có mức giá tròn nào gần hơn: giữ {dong(price)}."
            change = (target / price) ** (1 + elasticity) - 1
            return target, f"khách ít nhạy với giá (hệ số co giãn {shown}): tăng lên {dong(target)} dự kiến tăng doanh thu món này khoảng {percent(change)}."
        if elasticity < -1:
            target = next_price_point(price, "down")
            if target < price * (1 - MAX_MOVE):
                return price, f"khách nhạy với giá (hệ số co giãn {shown}), nhưng không có mức giá tròn nào thấp hơn gần đó: giữ {dong(price)}."
            change = (target / price) ** (1 + elasticity) - 1
            return target, f"khách nhạy với giá (hệ số co giãn {shown}): giảm xuống {dong(target)} dự kiến bán thêm đủ để tăng doanh thu khoảng {percent(change)}."
        return price, f"lượng bán không giảm khi giá tăng (hệ số co giãn {shown}); chưa đủ cơ sở để đổi giá {dong(price)}."

    @staticmethod
    def _by_rules(price: int, cost: int, margin: float, competitor_prices: list[int]) -> tuple[int, str]:
        if cost >= 0 and margin > 0:
            floor = price_point(cost / (1 - margin), "up")
            if price < floor:
                return floor, f"giá vốn {dong(cost)} cần giá ít nhất {dong(floor)} để giữ biên lợi nhuận {percent(margin)} (hiện {dong(price)})."
        if competitor_prices:
            median = float(np.median(competitor_prices))
            if price > median * (1 + COMPETITOR_GAP):
                target = max(price_point(median * (1 + COMPETITOR_GAP / 2), "nearest"), price_point(price * (1 - MAX_MOVE), "up"))
                if cost < 0 or target >= cost / (1 - margin):
                    return min(target, price), f"đắt hơn giá đối thủ ({dong(median)}) {percent(price / median - 1)}: gợi ý {dong(min(target, price))}."
            if price < median * (1 - COMPETITOR_GAP):
                target = min(price_point(median * (1 - COMPETITOR_GAP / 2), "nearest"), price_point(price * (1 + MAX_MOVE), "down"))
                return max(target, price), f"rẻ hơn giá đối thủ ({dong(median)}) {percent(1 - price / median)}: có thể tăng lên {dong(max(target, price))}."
        rounded = price_point(price, "nearest")
        if rounded != price and price > 0:
            return rounded, f"làm tròn {dong(price)} thành {dong(rounded)} cho dễ nhớ và dễ thối tiền."
        return price, f"giá {dong(price)} hợp lý theo dữ liệu hiện có: giữ nguyên."
