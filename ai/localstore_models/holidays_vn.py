"""Vietnamese holidays as the models see them: marks for a date and Prophet's holiday table.

Tết is one Prophet holiday whose window runs from the pre-Tết surge to the week after, so
each day of it (ten days of year-end parties, Giao thừa, mùng 1–3 when many shops close,
the slow reopening) gets an effect of its own. The fixed-date holidays and Giỗ Tổ Hùng
Vương are one-day effects; rằm and mùng 1 of every lunar month only where the tenant
says its trade follows them (a vegetarian kitchen, a shop near a pagoda).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from .lunar_calendar import from_lunar, tet, to_lunar

# Kept equal to common/src/holidays.ts (PRE_TET_SURGE_DAYS, TET_DAYS_BEFORE, TET_DAYS_AFTER).
PRE_TET_SURGE_DAYS = 10
TET_DAYS_BEFORE = 1
TET_DAYS_AFTER = 4
# Prophet's Tết window: the surge and Giao thừa before mùng 1, a week of reopening after.
TET_WINDOW_BEFORE = PRE_TET_SURGE_DAYS + TET_DAYS_BEFORE
TET_WINDOW_AFTER = 7

HOLIDAY_NAMES_VI = {
    "pre_tet": "Trước Tết",
    "tet": "Tết Nguyên Đán",
    "hung_kings": "Giỗ Tổ Hùng Vương",
    "reunification": "Ngày Thống nhất 30/4",
    "labour": "Quốc tế Lao động 1/5",
    "national": "Quốc khánh 2/9",
    "full_moon": "Rằm",
    "new_moon": "Mùng 1",
}


def hung_kings_day(year: int) -> date:
    """Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month."""
    return from_lunar(10, 3, year)


def holiday_mark(day: date, lunar_observances: bool = False) -> str:
    """The holiday kind a date falls on ('' for an ordinary day), as in common/src/holidays.ts."""
    for year in (day.year, day.year + 1):
        offset = (day - tet(year)).days
        if -TET_DAYS_BEFORE <= offset <= TET_DAYS_AFTER:
            return "tet"
        if -TET_WINDOW_BEFORE <= offset < -TET_DAYS_BEFORE:
            return "pre_tet"
    if day == hung_kings_day(day.year):
        return "hung_kings"
    fixed = {(4, 30): "reunification", (5, 1): "labour", (9, 2): "national"}
    if (day.month, day.day) in fixed:
        return fixed[(day.month, day.day)]
    if lunar_observances:
        lunar = to_lunar(day)
        if lunar.day == 15:
            return "full_moon"
        if lunar.day == 1:
            return "new_moon"
    return ""


def prophet_holidays(first: date, last: date, lunar_observances: bool = False) -> pd.DataFrame:
    """Prophet's `holidays` frame covering every date from first to last."""
    rows: list[dict] = []
    for year in range(first.year - 1, last.year + 2):
        rows.append({"holiday": "tet", "ds": tet(year), "lower_window": -TET_WINDOW_BEFORE, "upper_window": TET_WINDOW_AFTER})
        rows.append({"holiday": "hung_kings", "ds": hung_kings_day(year), "lower_window": 0, "upper_window": 0})
        rows.append({"holiday": "reunification", "ds": date(year, 4, 30), "lower_window": 0, "upper_window": 0})
        rows.append({"holiday": "labour", "ds": date(year, 5, 1), "lower_window": 0, "upper_window": 0})
        rows.append({"holiday": "national", "ds": date(year, 9, 2), "lower_window": 0, "upper_window": 0})
    if lunar_observances:
        day = first - timedelta(days=1)
        while day <= last + timedelta(days=1):
            lunar_day = to_lunar(day).day
            if lunar_day in (1, 15):
                rows.append({"holiday": "full_moon" if lunar_day == 15 else "new_moon", "ds": day, "lower_window": 0, "upper_window": 0})
            day += timedelta(days=1)
    frame = pd.DataFrame(rows)
    frame["ds"] = pd.to_datetime(frame["ds"])
    return frame


def holiday_effect_days(holidays: pd.DataFrame) -> pd.DataFrame:
    """Every day a holiday effect of Prophet's table applies: (effect, date), the effect
    being the holiday and the day's offset in its window (Prophet fits one per pair)."""
    rows = []
    for holiday in holidays.itertuples(index=False):
        for offset in range(int(holiday.lower_window), int(holiday.upper_window) + 1):
            rows.append((f"{holiday.holiday}{offset:+d}", holiday.ds + pd.Timedelta(days=offset)))
    return pd.DataFrame(rows, columns=["effect", "ds"])


def holiday_observations(holidays: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, days: pd.DatetimeIndex) -> np.ndarray:
    """For each of `days`: how often the history (first … last) saw the holiday effects
    that day carries (the fewest, when effects overlap); -1 for a day with none."""
    effects = holiday_effect_days(holidays)
    in_history = effects[(effects.ds >= first) & (effects.ds <= last)]
    seen = in_history.groupby("effect").size()
    counts = np.full(len(days), -1)
    for index, day in enumerate(days):
        on_day = effects.effect[effects.ds == day]
        if not on_day.empty:
            counts[index] = int(min(seen.get(effect, 0) for effect in on_day))
    return counts
