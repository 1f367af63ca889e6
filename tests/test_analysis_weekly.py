"""The weekly picture's pure functions: weeks in Swedish time, comparisons, new places."""

from datetime import UTC, datetime, timedelta

import pytest

from est_pwa.analysis.weekly import (
    Report,
    Week,
    cell_centre,
    compare_areas,
    grid_cell,
    is_clear_increase,
    last_complete_week,
    new_places,
    parse_week,
    total_comparison,
    week_of,
)

WEEK = Week(2026, 47)  # 16–22 November 2026
KUMLA = (59.1277, 15.1434)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def report(weeks_before: int = 0, area="Centrum", category="Skadegörelse", at=KUMLA, day=2):
    """Return a report ``weeks_before`` WEEK, on its ``day``-th day at noon."""
    moment = WEEK.start + timedelta(weeks=-weeks_before, days=day, hours=12)
    return Report(moment, area, category, *at)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-W47", Week(2026, 47)),
        ("2026-w7", Week(2026, 7)),
        ("2026W47", Week(2026, 47)),
        (" 2026-W01 ", Week(2026, 1)),
        ("2026-W53", Week(2026, 53)),  # 2026 begins on a Thursday: 53 weeks
        ("2025-W53", None),
        ("2026-W54", None),
        ("2026-W00", None),
        ("1999-W10", None),
        ("2026-11-16", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_week(text, expected):
    assert parse_week(text) == expected


def test_a_week_runs_from_monday_to_sunday_in_swedish_time():
    assert WEEK.start == utc(2026, 11, 15, 23)  # Monday 00:00 CET
    assert WEEK.end == utc(2026, 11, 22, 23)
    assert week_of(utc(2026, 11, 22, 22, 59)) == WEEK  # Sunday 23:59 in Stockholm
    assert week_of(utc(2026, 11, 22, 23, 0)) == Week(2026, 48)  # Monday 00:00 in Stockholm


@pytest.mark.parametrize(
    ("week", "hours"),
    [(Week(2026, 13), 167), (Week(2026, 43), 169), (Week(2026, 47), 168)],
)
def test_daylight_saving_weeks_are_an_hour_short_or_long(week, hours):
    assert week.end - week.start == timedelta(hours=hours)


def test_the_spring_daylight_saving_week_ends_at_midnight_summer_time():
    week = Week(2026, 13)  # clocks go forward on Sunday 29 March
    assert week.start == utc(2026, 3, 22, 23)  # CET
    assert week.end == utc(2026, 3, 29, 22)  # CEST
    assert week_of(utc(2026, 3, 29, 21, 30)) == week
    assert week_of(utc(2026, 3, 29, 22, 30)) == Week(2026, 14)


def test_weeks_cross_the_new_year_by_iso_numbering():
    assert week_of(utc(2027, 1, 3, 12)) == Week(2026, 53)
    assert Week(2027, 1).shifted(-1) == Week(2026, 53)
    assert Week(2026, 53).shifted(1) == Week(2027, 1)
    assert Week(2026, 53).label == "2026-W53"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 27, 19), Week(2026, 47)),  # a Friday
        (utc(2026, 11, 22, 23, 30), Week(2026, 47)),  # Monday 00:30 in Stockholm
        (utc(2026, 11, 22, 22, 30), Week(2026, 46)),  # still Sunday in Stockholm
    ],
)
def test_the_last_complete_week(now, expected):
    assert last_complete_week(now) == expected


@pytest.mark.parametrize(
    ("count", "mean_before", "flagged"),
    [(3, 0, True), (3, 1.0, True), (3, 1.5, False), (2, 0, False), (5, 2.25, True), (4, 2, False)],
)
def test_a_clear_increase_is_at_least_three_and_over_twice_the_mean(count, mean_before, flagged):
    assert is_clear_increase(count, mean_before) is flagged


def test_areas_compare_the_week_with_the_mean_of_the_four_weeks_before():
    reports = [
        *(report(0) for _ in range(4)),
        report(1),
        report(3),
        *(report(0, category="Nedskräpning") for _ in range(2)),
        *(report(weeks, category="Nedskräpning") for weeks in (1, 2, 3, 4) for _ in range(4)),
        report(0, area="Kvarntorp"),
        report(5, area="Kvarntorp"),  # five weeks before: outside the comparison
        report(-1, area="Kvarntorp"),  # the week after
        *(report(0, area=None, category="Ordning") for _ in range(3)),
    ]
    centrum, outside, kvarntorp = compare_areas(reports, WEEK)
    assert (centrum.area, centrum.total.this_week, centrum.total.before) == ("Centrum", 6, 18)
    damage, litter = centrum.categories
    assert (damage.name, damage.this_week, damage.mean_before, damage.change) == (
        "Skadegörelse",
        4,
        0.5,
        3.5,
    )
    assert damage.increase
    assert (litter.this_week, litter.mean_before, litter.change, litter.increase) == (
        2,
        4,
        -2,
        False,
    )
    assert (outside.area, outside.total.this_week, outside.total.increase) == (None, 3, True)
    assert (kvarntorp.total.this_week, kvarntorp.total.before) == (1, 0)
    assert total_comparison(reports, WEEK).this_week == 10


def test_categories_without_reports_this_week_and_rare_before_get_no_row():
    reports = [report(0), *(report(weeks, category="Ordning") for weeks in (1, 2, 3, 4))]
    reports.append(report(2, category="Nedskräpning"))  # a mean of 0.25: no row of its own
    (centrum,) = compare_areas(reports, WEEK)
    assert [row.name for row in centrum.categories] == ["Skadegörelse", "Ordning", "Nedskräpning"]
    assert [row.name for row in centrum.listed] == ["Skadegörelse", "Ordning"]
    assert (centrum.total.this_week, centrum.total.before) == (1, 5)


def test_an_area_with_reports_only_before_the_week_is_listed_last():
    found = compare_areas([report(0, area="Centrum"), report(2, area="Hällabrottet")], WEEK)
    assert [(area.area, area.total.this_week) for area in found] == [
        ("Centrum", 1),
        ("Hällabrottet", 0),
    ]


def test_grid_cells_are_100_m_squares_of_sweref_99_tm():
    # SWEREF 99 TM's central meridian is 15° E, with a false easting of 500 000 m.
    assert grid_cell(59.0, 15.0)[0] == 500_000
    east, north = grid_cell(*KUMLA)
    assert (east % 100, north % 100) == (0, 0)
    assert 6_550_000 < north < 6_560_000
    assert grid_cell(*cell_centre((east, north))) == (east, north)


def near(cell, east_m: float, north_m: float) -> tuple[float, float]:
    """Return the point (lat, lon) this many metres from ``cell``'s centre (roughly)."""
    lat, lon = cell_centre(cell)
    return lat + north_m / 111_000, lon + east_m / 57_000


def test_new_places_have_repeated_reports_this_week_and_none_before():
    cell = grid_cell(*KUMLA)
    quiet = (cell[0] + 500, cell[1])
    busy = (cell[0] - 500, cell[1])
    reports = [
        report(0, at=near(cell, -30, 20)),
        report(0, category="Nedskräpning", at=near(cell, 30, -20)),
        report(0, at=near(cell, 10, 10)),
        report(5, at=near(cell, 0, 0)),  # five weeks before does not count
        report(0, area=None, at=near(quiet, 0, 0)),
        report(0, area=None, at=near(quiet, 20, 0)),
        report(0, at=near(busy, 0, 0)),
        report(0, at=near(busy, 0, 10)),
        report(2, at=near(busy, 0, 0)),  # reported before: not a new place
        report(0, at=near((cell[0], cell[1] + 500), 0, 0)),  # a single report
    ]
    first, second = new_places(reports, WEEK)
    assert (first.cell, first.count, first.area) == (cell, 3, "Centrum")
    assert first.categories == (("Skadegörelse", 2), ("Nedskräpning", 1))
    assert grid_cell(first.lat, first.lon) == cell
    assert (second.cell, second.count, second.area) == (quiet, 2, None)
