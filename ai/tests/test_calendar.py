import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest

import pandas as pd

from localstore_models.forecast import calibrated_band
from localstore_models.holidays_vn import holiday_mark, holiday_observations, hung_kings_day, prophet_holidays
from localstore_models.lunar_calendar import from_lunar, tet, to_lunar

HOLIDAYS_TS = Path(__file__).resolve().parents[2] / "common" / "src" / "holidays.ts"


def table(name: str) -> dict[int, date]:
    """A year -> date table of common/src/holidays.ts, which the demo data is made from."""
    body = re.search(name + r"[^{]*\{([^}]*)\}", HOLIDAYS_TS.read_text()).group(1)
    return {int(year): date.fromisoformat(day) for year, day in re.findall(r"(\d{4}): '(\d{4}-\d{2}-\d{2})'", body)}


def test_tet_matches_the_table_the_demo_data_uses():
    expected = table("TET_FIRST_DAY")
    assert len(expected) >= 10
    assert {year: tet(year) for year in expected} == expected


def test_hung_kings_day_matches_the_table():
    expected = table("HUNG_KINGS_DAY")
    assert {year: hung_kings_day(year) for year in expected} == expected


def test_vietnam_and_china_differ_where_the_new_moon_falls_between_their_midnights():
    # 1985: Vietnam's Tết on 21 January, a month before China's; 2007: a day before.
    assert tet(1985) == date(1985, 1, 21)
    assert tet(2007) == date(2007, 2, 17)


def test_a_round_trip_through_the_lunar_calendar_including_a_leap_month():
    for day in (date(2023, 3, 22), date(2023, 4, 19), date(2025, 8, 23), date(2026, 12, 2)):
        lunar = to_lunar(day)
        assert from_lunar(lunar.day, lunar.month, lunar.year, lunar.leap) == day
    # 2023 had a leap second month (tháng 2 nhuận) from 22 March.
    assert to_lunar(date(2023, 3, 22)) == to_lunar(date(2023, 3, 22)).__class__(1, 2, 2023, True)


def test_marks_follow_common_holidays():
    first = tet(2026)
    assert holiday_mark(first) == "tet"
    assert holiday_mark(date(2026, 2, 16)) == "tet"  # Giao thừa
    assert holiday_mark(date(2026, 2, 10)) == "pre_tet"
    assert holiday_mark(date(2026, 4, 30)) == "reunification"
    assert holiday_mark(date(2026, 4, 26)) == "hung_kings"
    assert holiday_mark(date(2026, 3, 18)) == ""
    # Rằm only where the tenant says it matters: 15th of the 2nd lunar month of 2026.
    full_moon = from_lunar(15, 2, 2026)
    assert holiday_mark(full_moon) == ""
    assert holiday_mark(full_moon, lunar_observances=True) == "full_moon"


def test_prophet_table_gives_every_tet_day_its_own_window():
    frame = prophet_holidays(date(2025, 1, 1), date(2026, 3, 1))
    tets = frame[frame.holiday == "tet"]
    assert set(tets.ds.dt.date) >= {tet(2025), tet(2026)}
    assert (tets.lower_window == -11).all() and (tets.upper_window == 7).all()
    assert len(prophet_holidays(date(2026, 1, 1), date(2026, 3, 1), lunar_observances=True)) > len(prophet_holidays(date(2026, 1, 1), date(2026, 3, 1)))


def test_counts_how_often_the_history_saw_each_day_s_holiday_effects():
    table = prophet_holidays(date(2024, 3, 31), date(2026, 3, 31))
    days = pd.date_range("2026-02-14", periods=5)  # Tết 2026 is 17 February
    # Two years of history saw Tết 2025 only; three years, 2024's too.
    assert holiday_observations(table, pd.Timestamp("2024-03-31"), pd.Timestamp("2026-02-13"), days).tolist() == [1, 1, 1, 1, 1]
    assert holiday_observations(table, pd.Timestamp("2023-03-31"), pd.Timestamp("2026-02-13"), days).tolist() == [2, 2, 2, 2, 2]
    # A history since May 2025 never saw a Tết; an ordinary day carries no effect.
    assert holiday_observations(table, pd.Timestamp("2025-05-01"), pd.Timestamp("2026-02-13"), days).tolist() == [0, 0, 0, 0, 0]
    assert holiday_observations(table, pd.Timestamp("2024-03-31"), pd.Timestamp("2026-03-01"), pd.date_range("2026-03-10", periods=1)).tolist() == [-1]


class _FittedExactly:
    """Stands in for a fitted Prophet whose in-sample fit is `fitted`."""

    uncertainty_samples = 300

    def __init__(self, fitted):
        self.fitted = fitted

    def predict(self, frame):
        return pd.DataFrame({"yhat": self.fitted[-len(frame):]})


def test_the_calibrated_band_follows_the_errors_and_widens_on_rarely_seen_holidays():
    rng = np.random.default_rng(3)
    fitted = np.full(200, 16.0)
    frame = pd.DataFrame({"ds": pd.date_range("2025-01-01", periods=200), "y": rng.poisson(fitted).astype(float)})
    expected = np.array([16.0, 16.0, 16.0, 64.0])
    low, high = calibrated_band(_FittedExactly(fitted), frame, expected, np.array([-1, 1, 0, -1]))
    ordinary = high[0] - low[0]
    # About ±1.28 σ of Poisson(16) noise: 10.2 wide.
    assert 8 < ordinary < 13
    assert high[1] - low[1] == pytest.approx(ordinary * np.sqrt(2))
    assert high[2] - low[2] == pytest.approx(ordinary * np.sqrt(3))
    # Count-like: four times the quantity, twice the spread.
    assert high[3] - low[3] == pytest.approx(ordinary * 2)
