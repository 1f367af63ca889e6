"""The weekly picture: ISO weeks in Swedish time, a week against the four before, new places."""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from pyproj import Transformer

from ..clock import STOCKHOLM

BASELINE_WEEKS = 4  # a week is compared with the mean of the four weeks before it
# A simple rule for a clear increase; the statistically tested flag belongs to the tertial.
INCREASE_MIN_COUNT = 3
INCREASE_FACTOR = 2
CELL_SIZE_M = 100  # the grid of places, in SWEREF 99 TM
NEW_PLACE_MIN_REPORTS = 2
FIRST_YEAR = 2000
WEEK_PATTERN = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=STOCKHOLM).astimezone(UTC)


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, Monday to Sunday in Swedish time."""

    year: int
    number: int

    def __post_init__(self):
        date.fromisocalendar(self.year, self.number, 1)  # ValueError for a week that is not one

    @property
    def monday(self) -> date:
        """Return the week's Monday."""
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        """Return the week's Sunday."""
        return self.monday + timedelta(days=6)

    @property
    def label(self) -> str:
        """Return the week as HTML's week input writes it: ``2026-W47``."""
        return f"{self.year:04d}-W{self.number:02d}"

    @property
    def start(self) -> datetime:
        """Return the week's first moment (Monday 00:00 in Stockholm) in UTC."""
        return _local_midnight(self.monday)

    @property
    def end(self) -> datetime:
        """Return the moment after the week (the next Monday 00:00 in Stockholm) in UTC."""
        return _local_midnight(self.monday + timedelta(weeks=1))

    @property
    def last_moment(self) -> datetime:
        """Return the week's last moment (Sunday just before midnight) in UTC."""
        return self.end - timedelta(microseconds=1)

    def shifted(self, weeks: int) -> "Week":
        """Return the week ``weeks`` later (earlier if negative)."""
        return week_of_day(self.monday + timedelta(weeks=weeks))


def week_of_day(day: date) -> Week:
    """Return the ISO week of ``day``."""
    year, number, _ = day.isocalendar()
    return Week(year, number)


def week_of(moment: datetime) -> Week:
    """Return the week ``moment`` falls in, in Swedish time."""
    return week_of_day(moment.astimezone(STOCKHOLM).date())


def last_complete_week(now: datetime) -> Week:
    """Return the last week that has ended by ``now``."""
    return week_of(now).shifted(-1)


def parse_week(text: str | None) -> Week | None:
    """Return the week written as ``2026-W47`` (None if it is not a week from 2000 on)."""
    match = WEEK_PATTERN.fullmatch((text or "").strip())
    if match is None or int(match[1]) < FIRST_YEAR:
        return None
    try:
        return Week(int(match[1]), int(match[2]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Report:
    """One counted observation as the weekly picture needs it."""

    occurred_at: datetime
    area: str | None  # None: outside every area
    category: str  # the main category's name
    lat: float
    lon: float


def weeks_before(week: Week, moment: datetime) -> int:
    """Return how many weeks before ``week`` ``moment`` falls (0 in it, negative after it)."""
    return (week.monday - week_of(moment).monday).days // 7


def split_periods(reports: Iterable[Report], week: Week) -> tuple[list[Report], list[Report]]:
    """Return the reports of ``week`` and those of the four weeks before it; others are left out."""
    current, before = [], []
    for report in reports:
        offset = weeks_before(week, report.occurred_at)
        if offset == 0:
            current.append(report)
        elif 1 <= offset <= BASELINE_WEEKS:
            before.append(report)
    return current, before


def is_clear_increase(count: int, mean_before: float) -> bool:
    """Return whether ``count`` is a clear increase: at least 3 and over twice the mean before."""
    return count >= INCREASE_MIN_COUNT and count > INCREASE_FACTOR * mean_before


@dataclass(frozen=True)
class Comparison:
    """A count in the week beside the weekly mean of the four weeks before it."""

    name: str | None
    this_week: int
    before: int  # the four weeks together

    @property
    def mean_before(self) -> float:
        """Return the mean per week of the four weeks before."""
        return self.before / BASELINE_WEEKS

    @property
    def change(self) -> float:
        """Return this week's count less the mean before."""
        return self.this_week - self.mean_before

    @property
    def increase(self) -> bool:
        """Return whether the count is a clear increase."""
        return is_clear_increase(self.this_week, self.mean_before)


@dataclass(frozen=True)
class AreaComparison:
    """One area (None: outside every area) in total and per main category."""

    area: str | None
    total: Comparison
    categories: tuple[Comparison, ...]

    @property
    def listed(self) -> tuple[Comparison, ...]:
        """Return the categories worth a row: reported this week, or at least once a week before."""
        return tuple(row for row in self.categories if row.this_week or row.mean_before >= 1)


def total_comparison(reports: Iterable[Report], week: Week) -> Comparison:
    """Return the count of the whole week against the four weeks before."""
    current, before = split_periods(reports, week)
    return Comparison(None, len(current), len(before))


def compare_areas(reports: Iterable[Report], week: Week) -> list[AreaComparison]:
    """Return each area's counts per main category against the four weeks before, busiest first."""
    current, before = split_periods(reports, week)
    now = Counter((report.area, report.category) for report in current)
    then = Counter((report.area, report.category) for report in before)
    found = [_area_comparison(area, now, then) for area in {area for area, _ in now + then}]
    return sorted(found, key=_area_order)


def _area_comparison(area: str | None, now: Counter, then: Counter) -> AreaComparison:
    names = {name for where, name in now + then if where == area}
    rows = [Comparison(name, now[area, name], then[area, name]) for name in names]
    rows.sort(key=lambda row: (-row.this_week, -row.before, row.name.casefold()))
    total = Comparison(area, sum(row.this_week for row in rows), sum(row.before for row in rows))
    return AreaComparison(area, total, tuple(rows))


def _area_order(found: AreaComparison) -> tuple:
    name = found.area.casefold() if found.area else ""
    return (-found.total.this_week, -found.total.before, found.area is None, name)


@lru_cache(maxsize=2)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def grid_cell(lat: float, lon: float) -> tuple[int, int]:
    """Return the south-west corner (SWEREF 99 TM metres) of the 100 m cell holding the point."""
    east, north = _transformer("EPSG:4326", "EPSG:3006").transform(lon, lat)
    return (
        math.floor(east / CELL_SIZE_M) * CELL_SIZE_M,
        math.floor(north / CELL_SIZE_M) * CELL_SIZE_M,
    )


def cell_centre(cell: tuple[int, int]) -> tuple[float, float]:
    """Return the centre of ``cell`` as (lat, lon) in WGS84."""
    half = CELL_SIZE_M / 2
    lon, lat = _transformer("EPSG:3006", "EPSG:4326").transform(cell[0] + half, cell[1] + half)
    return lat, lon


@dataclass(frozen=True)
class NewPlace:
    """A 100 m cell with repeated reports in the week and none in the four weeks before."""

    cell: tuple[int, int]  # south-west corner in SWEREF 99 TM (easting, northing)
    count: int
    area: str | None  # the area most of its reports lie in; None: outside every area
    categories: tuple[tuple[str, int], ...]  # (main category, count), most first
    lat: float
    lon: float


def new_places(reports: Iterable[Report], week: Week) -> list[NewPlace]:
    """Return the cells with at least two reports in ``week`` and none in the four weeks before."""
    current, before = split_periods(reports, week)
    seen_before = {grid_cell(report.lat, report.lon) for report in before}
    by_cell = defaultdict(list)
    for report in current:
        by_cell[grid_cell(report.lat, report.lon)].append(report)
    found = [
        _new_place(cell, group)
        for cell, group in by_cell.items()
        if len(group) >= NEW_PLACE_MIN_REPORTS and cell not in seen_before
    ]
    return sorted(found, key=lambda place: (-place.count, place.area or "\uffff", place.cell))


def _new_place(cell: tuple[int, int], reports: list[Report]) -> NewPlace:
    areas = Counter(report.area for report in reports if report.area)
    categories = Counter(report.category for report in reports)
    area = areas.most_common(1)[0][0] if areas else None
    return NewPlace(cell, len(reports), area, tuple(categories.most_common()), *cell_centre(cell))
