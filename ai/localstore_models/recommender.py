"""recommender: what the owner could do tomorrow, each with a title, a reason and a priority.

- prep: how much of each item to prepare, from tomorrow's forecast (the upper end of its
  80 % interval, so one day in ten runs short rather than one in two);
- promotion: slow movers, items selling little and less than the four weeks before;
- combo: items often bought together (association rules over the order lines: support,
  confidence and lift), priced as a set at a round price point.

Kinds the owner dismissed lately come lower and fewer: the cell sends the counts.
"""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
from scipy import sparse

from .money_vn import dong, percent, price_point, weekday_vi
from .tensor_model import TensorModel
from .tensors import Inputs, TensorSpec, response, same_length

MAX_ITEMS = 1_000
MAX_BASKET_LINES = 300_000
MAX_PREP_LINES_IN_TEXT = 6
SLOW_MOVER_SHARE = 0.02
SLOW_MOVER_DROP = 0.7
MAX_PROMOTIONS = 3
MIN_PAIR_ORDERS = 20
MIN_PAIR_SUPPORT = 0.01
MIN_CONFIDENCE = 0.2
MIN_LIFT = 1.2
MAX_COMBOS = 2
COMBO_DISCOUNT = 0.08
KINDS = ("prep", "promotion", "combo")


def weekday_sunday_zero(day: date) -> int:
    return (day.weekday() + 1) % 7


class RecommenderModel(TensorModel):
    INPUTS = (
        TensorSpec("item_id", "BYTES", (-1,), "the location's menu items (ids)"),
        TensorSpec("item_name", "BYTES", (-1,), "each item's name"),
        TensorSpec("item_price", "INT64", (-1,), "each item's price in đồng"),
        TensorSpec("forecast_expected", "FP64", (-1,), "tomorrow's expected quantity per item (-1: no forecast)"),
        TensorSpec("forecast_high", "FP64", (-1,), "upper end of tomorrow's 80 % interval per item (-1: none)"),
        TensorSpec("recent_quantity", "FP64", (-1,), "quantity sold in the last 28 days per item"),
        TensorSpec("previous_quantity", "FP64", (-1,), "quantity sold in the 28 days before those"),
        TensorSpec("basket_order", "INT64", (-1,), "order line: which order (any number naming it)"),
        TensorSpec("basket_item", "INT32", (-1,), "order line: index into item_id"),
        TensorSpec("for_date", "BYTES", (1,), "the day the recommendations are for, YYYY-MM-DD"),
        TensorSpec("dismissed_kind", "BYTES", (-1,), "kinds the owner dismissed lately (prep, promotion, combo)", optional=True),
        TensorSpec("dismissed_count", "INT32", (-1,), "how many of each", optional=True),
    )
    OUTPUTS = (
        TensorSpec("kind", "BYTES", (-1,), "prep | promotion | combo"),
        TensorSpec("key", "BYTES", (-1,), "stable key: the same advice for the same day has the same key"),
        TensorSpec("title", "BYTES", (-1,), "title, Vietnamese"),
        TensorSpec("explanation", "BYTES", (-1,), "why, Vietnamese"),
        TensorSpec("priority", "INT32", (-1,), "1 (act today) to 3"),
        TensorSpec("payload", "BYTES", (-1,), "JSON: the items and figures behind it"),
    )

    def __init__(self, name: str = "recommender"):
        super().__init__(name)

    def compute(self, inputs: Inputs, request):
        ids = inputs.at_most("item_id", MAX_ITEMS, inputs.array("item_id"))
        names = inputs.array("item_name")
        prices = inputs.non_negative("item_price")
        expected = inputs.array("forecast_expected")
        high = inputs.array("forecast_high")
        recent = inputs.non_negative("recent_quantity")
        previous = inputs.non_negative("previous_quantity")
        same_length(
            inputs,
            ["item_id", "item_name", "item_price", "forecast_expected", "forecast_high", "recent_quantity", "previous_quantity"],
            [ids, names, prices, expected, high, recent, previous],
        )
        for name, values in (("forecast_expected", expected), ("forecast_high", high)):
            if values.size and values.min() < -1:
                raise inputs.fail(name, "must be ≥ 0, or -1 for an item without a forecast")
        orders = inputs.at_most("basket_order", MAX_BASKET_LINES, inputs.array("basket_order"))
        lines = inputs.indexes("basket_item", ids.size, "item_id")
        same_length(inputs, ["basket_order", "basket_item"], [orders, lines])
        for_date = date.fromisoformat(str(inputs.dates("for_date")[0]))
        dismissed = self._dismissed(inputs)

        found = []
        found += self._prep(ids, names, expected, high, for_date)
        found += self._promotions(ids, names, prices, recent, previous, for_date)
        found += self._combos(ids, names, prices, orders, lines, for_date)
        chosen = []
        for kind in KINDS:
            of_kind = [rec for rec in found if rec["kind"] == kind]
            times = dismissed.get(kind, 0)
            # Each recent dismissal pushes the kind down a step; three or more keep one of it.
            for rec in of_kind:
                rec["priority"] = min(3, rec["priority"] + times)
            chosen += of_kind[:1] if times >= 3 else of_kind
        chosen.sort(key=lambda rec: (rec["priority"], KINDS.index(rec["kind"])))
        return response(
            self.name,
            request,
            {
                "kind": ("BYTES", [rec["kind"] for rec in chosen]),
                "key": ("BYTES", [rec["key"] for rec in chosen]),
                "title": ("BYTES", [rec["title"] for rec in chosen]),
                "explanation": ("BYTES", [rec["explanation"] for rec in chosen]),
                "priority": ("INT32", [rec["priority"] for rec in chosen]),
                "payload": ("BYTES", [json.dumps(rec["payload"], ensure_ascii=False) for rec in chosen]),
            },
        )

    @staticmethod
    def _dismissed(inputs: Inputs) -> dict[str, int]:
        if not inputs.has("dismissed_kind"):
            return {}
        kinds = inputs.array("dismissed_kind")
        counts = inputs.non_negative("dismissed_count") if inputs.has("dismissed_count") else np.ones(kinds.size, dtype=np.int32)
        same_length(inputs, ["dismissed_kind", "dismissed_count"], [kinds, counts])
        for kind in kinds:
            if kind not in KINDS:
                raise inputs.fail("dismissed_kind", f"holds an unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
        return {str(kind): int(count) for kind, count in zip(kinds, counts)}

    @staticmethod
    def _prep(ids, names, expected, high, for_date):
        items = [
            {"itemId": str(ids[i]), "name": str(names[i]), "expected": round(float(expected[i]), 1), "prepare": int(math.ceil(max(high[i], expected[i])))}
            for i in range(ids.size)
            if expected[i] >= 0.5
        ]
        if not items:
            return []
        items.sort(key=lambda item: -item["prepare"])
        listed = ", ".join(f"{item['prepare']} {item['name']}" for item in items[:MAX_PREP_LINES_IN_TEXT])
        more = f" và {len(items) - MAX_PREP_LINES_IN_TEXT} món khác" if len(items) > MAX_PREP_LINES_IN_TEXT else ""
        day = f"{weekday_vi(weekday_sunday_zero(for_date))} {for_date:%d/%m}"
        return [
            {
                "kind": "prep",
                "key": f"prep:{for_date.isoformat()}",
                "title": f"Chuẩn bị cho {day}: {listed}{more}",
                "explanation": (
                    f"Theo dự báo cho {day}, mỗi món được chuẩn bị theo mức cao của khoảng dự báo 80 % "
                    "để ít khi hết hàng; con số dự kiến bán nằm trong chi tiết."
                ),
                "priority": 1,
                "payload": {"date": for_date.isoformat(), "items": items},
            }
        ]

    @staticmethod
    def _promotions(ids, names, prices, recent, previous, for_date):
        total = recent.sum()
        if total <= 0:
            return []
        candidates = []
        for i in range(ids.size):
            share = recent[i] / total
            dropping = previous[i] > 0 and recent[i] < SLOW_MOVER_DROP * previous[i]
            if share < SLOW_MOVER_SHARE and dropping:
                candidates.append((recent[i] / previous[i], i))
        candidates.sort()
        out = []
        for ratio, i in candidates[:MAX_PROMOTIONS]:
            promo_price = price_point(prices[i] * 0.9, "down")
            out.append(
                {
                    "kind": "promotion",
                    "key": f"promotion:{ids[i]}:{for_date.isoformat()}",
                    "title": f"Đẩy bán {names[i]}: giảm còn {dong(promo_price)} vào giờ vắng",
                    "explanation": (
                        f"28 ngày qua chỉ bán {recent[i]:.0f} phần ({percent(recent[i] / total)} số món bán ra), "
                        f"giảm {percent(1 - ratio)} so với 28 ngày trước đó ({previous[i]:.0f} phần). "
                        f"Giảm giá từ {dong(prices[i])} xuống {dong(promo_price)} hoặc tặng kèm món bán chạy để khách thử lại."
                    ),
                    "priority": 2,
                    "payload": {"itemId": str(ids[i]), "recent": float(recent[i]), "previous": float(previous[i]), "price": int(prices[i]), "promotionPrice": promo_price},
                }
            )
        return out

    @staticmethod
    def _combos(ids, names, prices, orders, lines, for_date):
        if orders.size == 0:
            return []
        # Baskets as a sparse order × item incidence matrix (an item twice in one order
        # counts once); its Gram matrix holds every pair's orders-together, and its
        # diagonal every item's orders. Vectorised: a month of a busy shop is ~30k lines.
        _, order_of_line = np.unique(orders, return_inverse=True)
        order_count = int(order_of_line.max()) + 1
        incidence = sparse.csr_matrix((np.ones(lines.size, dtype=np.int32), (order_of_line, lines)), shape=(order_count, ids.size))
        incidence.data[:] = 1
        together_matrix = (incidence.T @ incidence).tocoo()
        singles = np.asarray(incidence.sum(axis=0)).ravel().tolist()
        upper = together_matrix.row < together_matrix.col
        pair_a, pair_b, pair_together = together_matrix.row[upper], together_matrix.col[upper], together_matrix.data[upper]
        frequent = (pair_together >= MIN_PAIR_ORDERS) & (pair_together / order_count >= MIN_PAIR_SUPPORT)
        rules = []
        for a, b, together in zip(pair_a[frequent].tolist(), pair_b[frequent].tolist(), pair_together[frequent].tolist()):
            support = together / order_count
            lift = support / ((singles[a] / order_count) * (singles[b] / order_count))
            # The rule from the item that leads: "of those who order A, this many add B".
            lead, follow = (a, b) if together / singles[a] >= together / singles[b] else (b, a)
            confidence = together / singles[lead]
            if lift >= MIN_LIFT and confidence >= MIN_CONFIDENCE:
                rules.append((lift * support, lead, follow, confidence, lift, together))
        rules.sort(reverse=True)
        out = []
        for _, lead, follow, confidence, lift, together in rules[:MAX_COMBOS]:
            full = int(prices[lead] + prices[follow])
            combo_price = price_point(full * (1 - COMBO_DISCOUNT), "down")
            lift_text = f"{lift:.1f}".replace(".", ",")
            out.append(
                {
                    "kind": "combo",
                    "key": f"combo:{min(ids[lead], ids[follow])}:{max(ids[lead], ids[follow])}",
                    "title": f"Combo {names[lead]} + {names[follow]} giá {dong(combo_price)}",
                    "explanation": (
                        f"{percent(confidence)} khách gọi {names[lead]} cũng gọi {names[follow]} "
                        f"({together} đơn, gấp {lift_text} lần mức ngẫu nhiên). "
                        f"Bán chung giá {dong(combo_price)} thay vì {dong(full)} để khách gọi cả hai."
                    ),
                    "priority": 2,
                    "payload": {"itemIds": [str(ids[lead]), str(ids[follow])], "confidence": round(confidence, 3), "lift": round(lift, 2), "orders": together, "price": full, "comboPrice": combo_price},
                }
            )
        return out
