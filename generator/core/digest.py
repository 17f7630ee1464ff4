"""Digest issues: the picks of one week (Monday to Sunday), day or month in the site's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from .loader import order_picks
from .model import MONTHS, Pick, long_date

Every = Literal["week", "day", "month"]
EVERY = ("week", "day", "month")
_PATTERNS = {
    "week": re.compile(r"^([0-9]{4})-W([0-9]{2})$"),
    "day": re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    "month": re.compile(r"^([0-9]{4})-([0-9]{2})$"),
}


def period_of(day: date, every: Every) -> str:
    """``2024-W15``, ``2024-04-12`` or ``2024-04``: the issue a day belongs to (ISO weeks start on Monday)."""
    if every == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat() if every == "day" else f"{day.year}-{day.month:02d}"


def valid_period(period: str, every: Every) -> bool:
    return bool(_PATTERNS[every].match(period))


def period_days(period: str, every: Every) -> tuple[date, date]:
    """First and last day of an issue."""
    if every == "week":
        first = date.fromisocalendar(int(period[:4]), int(period[6:]), 1)
        return first, first + timedelta(days=6)
    if every == "day":
        day = date.fromisoformat(period)
        return day, day
    first = date(int(period[:4]), int(period[5:]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def period_label(period: str, every: Every) -> str:
    """``Week of 8 April 2024``, ``12 April 2024`` or ``April 2024``: how an issue calls itself."""
    first, last = period_days(period, every)
    if every == "month":
        return f"{MONTHS[first.month - 1]} {first.year}"
    return long_date(first) if every == "day" else f"Week of {long_date(first)}"


@dataclass(frozen=True)
class Issue:
    """One digest issue: its period id, label and picks in the listing's order."""

    period: str
    label: str
    picks: list[Pick]

    @property
    def newest(self) -> Pick:
        return max(self.picks, key=lambda p: p.sort_key)


def issues(picks: list[Pick], every: Every, timezone: str, order: str) -> list[Issue]:
    """Every issue with picks, newest period first; ``picks`` come sorted by (instant, id)."""
    tz = ZoneInfo(timezone)
    grouped: dict[str, list[Pick]] = {}
    for pick in picks:
        if not pick.preview_only:
            grouped.setdefault(period_of(pick.instant.astimezone(tz).date(), every), []).append(pick)
    return [
        Issue(period, period_label(period, every), order_picks(grouped[period], order))
        for period in sorted(grouped, reverse=True)  # zero-padded YYYY-Www, YYYY-MM-DD, YYYY-MM sort as time does
    ]


def latest_closed(found: list[Issue], every: Every, today: date) -> Issue | None:
    """The newest issue whose period has ended before ``today``: the running one may still get picks."""
    return next((issue for issue in found if period_days(issue.period, every)[1] < today), None)


def late_picks(found: list[Issue], sending: str, delivered: dict[str, set[str] | None]) -> list[tuple[Issue, Pick]]:
    """Picks of periods already sent to a reader that the reader never got, with their issue, oldest first: they
    were added after that issue went out. ``delivered`` maps each period sent to the pick ids it held (None: the
    record does not say, so nothing of that period is counted late)."""
    received = {pick_id for ids in delivered.values() if ids is not None for pick_id in ids}  # late ones too
    late = []
    for issue in found:
        if issue.period != sending and delivered.get(issue.period) is not None:
            late += [(issue, pick) for pick in issue.picks if pick.id not in received]
    return sorted(late, key=lambda found_late: found_late[1].sort_key)
