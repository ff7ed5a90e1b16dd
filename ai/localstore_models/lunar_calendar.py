"""The Vietnamese lunisolar calendar, computed for UTC+7.

Vietnam observes the lunar calendar at its own meridian, so a new moon that falls just
after midnight in Hà Nội but before it in Beijing starts the month a day apart from the
Chinese calendar (Tết 1985 and 2007 differ). The astronomy is the standard one used for
the Vietnamese calendar (Hồ Ngọc Đức's formulation of Meeus' new-moon and solar-longitude
series): a month starts on the local day of a new moon, month 11 holds the winter
solstice, and in a 13-month year the first month without a major solar term is the leap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

VIETNAM_UTC_OFFSET_HOURS = 7.0

# Julian day number of date.fromordinal(1) minus one: ordinal + this = JDN.
_ORDINAL_TO_JDN = 1721425
# The new moon of 1900-01-01 (k = 0) as a Julian day, and the mean synodic month.
_EPOCH_NEW_MOON = 2415021.076998695
_SYNODIC_MONTH = 29.530588853


@dataclass(frozen=True)
class LunarDate:
    day: int
    month: int
    year: int
    leap: bool


def _jdn(day: date) -> int:
    return day.toordinal() + _ORDINAL_TO_JDN


def _from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _ORDINAL_TO_JDN)


def _new_moon(k: int) -> float:
    """Julian day (TT corrected to UT) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 -= 0.4068 * math.sin(mpr * dr) - 0.0161 * math.sin(dr * 2 * mpr)
    c1 -= 0.0004 * math.sin(dr * 3 * mpr)
    c1 += 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 -= 0.0074 * math.sin(dr * (m - mpr)) - 0.0004 * math.sin(dr * (2 * f + m))
    c1 -= 0.0004 * math.sin(dr * (2 * f - m)) + 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 += 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _new_moon_day(k: int, tz: float) -> int:
    """Local day number on which the k-th new moon falls."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_longitude_sector(day_number: int, tz: float) -> int:
    """Which of the twelve 30° sectors the sun is in at the local midnight starting the day."""
    t = (day_number - 0.5 - tz / 24 - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    longitude -= 2 * math.pi * math.floor(longitude / (2 * math.pi))
    return math.floor(longitude / math.pi * 6)


@lru_cache(maxsize=256)
def _month11_start(year: int, tz: float) -> int:
    """Day number of the first day of lunar month 11 (the one holding the winter solstice)."""
    offset = _jdn(date(year, 12, 31)) - 2415021
    k = math.floor(offset / _SYNODIC_MONTH)
    start = _new_moon_day(k, tz)
    if _sun_longitude_sector(start, tz) >= 9:
        start = _new_moon_day(k - 1, tz)
    return start


def _leap_month_offset(month11: int, tz: float) -> int:
    """Months after month 11 of the first month with no major solar term."""
    k = math.floor((month11 - _EPOCH_NEW_MOON) / _SYNODIC_MONTH + 0.5)
    i = 1
    arc = _sun_longitude_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_longitude_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            break
    return i - 1


def to_lunar(day: date, tz: float = VIETNAM_UTC_OFFSET_HOURS) -> LunarDate:
    day_number = _jdn(day)
    k = math.floor((day_number - _EPOCH_NEW_MOON) / _SYNODIC_MONTH)
    month_start = _new_moon_day(k + 1, tz)
    if month_start > day_number:
        month_start = _new_moon_day(k, tz)
    a11 = _month11_start(day.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _month11_start(day.year - 1, tz)
    else:
        lunar_year = day.year + 1
        b11 = _month11_start(day.year + 1, tz)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_day, lunar_month, lunar_year, leap)


def from_lunar(lunar_day: int, lunar_month: int, lunar_year: int, leap: bool = False, tz: float = VIETNAM_UTC_OFFSET_HOURS) -> date:
    """The solar date of a lunar one; ValueError for a leap month the year does not have."""
    if lunar_month < 11:
        a11 = _month11_start(lunar_year - 1, tz)
        b11 = _month11_start(lunar_year, tz)
    else:
        a11 = _month11_start(lunar_year, tz)
        b11 = _month11_start(lunar_year + 1, tz)
    offset = lunar_month - 11
    if offset < 0:
        offset += 12
    if b11 - a11 > 365:
        leap_offset = _leap_month_offset(a11, tz)
        leap_month = leap_offset - 2
        if leap_month < 0:
            leap_month += 12
        if leap and lunar_month != leap_month:
            raise ValueError(f"lunar year {lunar_year} has no leap month {lunar_month}")
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        raise ValueError(f"lunar year {lunar_year} has no leap month")
    k = math.floor(0.5 + (a11 - _EPOCH_NEW_MOON) / _SYNODIC_MONTH)
    month_start = _new_moon_day(k + offset, tz)
    return _from_jdn(month_start + lunar_day - 1)


def tet(year: int) -> date:
    """Mùng 1 Tết: the first day of the lunar year that starts in this solar year."""
    return from_lunar(1, 1, year)
