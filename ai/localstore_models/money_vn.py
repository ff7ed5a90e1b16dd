"""Vietnamese formatting of the figures the models explain: 35.000 ₫, 12 %, thứ Ba."""

from __future__ import annotations

WEEKDAYS_VI = ("Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy")


def dong(amount: float) -> str:
    """An amount of đồng as Vietnamese write it: 35.000 ₫."""
    return f"{int(round(amount)):,} ₫".replace(",", ".")


def percent(fraction: float) -> str:
    return f"{round(fraction * 100):d} %"


def weekday_vi(weekday_sunday_zero: int) -> str:
    return WEEKDAYS_VI[weekday_sunday_zero % 7]


def next_price_point(price: int, direction: str) -> int:
    """The first price point strictly above ("up") or below ("down") a price."""
    candidate = price_point(price, direction)
    if candidate != price:
        return candidate
    # Already a point: one step on, with the step of the side it moves to.
    return price_point(price + 1, "up") if direction == "up" else price_point(price - 1, "down")


def price_point(amount: float, direction: str = "nearest") -> int:
    """A menu price point: whole 1.000 ₫ under 20.000 ₫, whole 5.000 ₫ from there on."""
    step = 1_000 if amount < 20_000 else 5_000
    units = amount / step
    if direction == "up":
        rounded = -(-units // 1)
    elif direction == "down":
        rounded = units // 1
    else:
        rounded = (units + 0.5) // 1
    return int(max(step, rounded * step))
