"""The Kumla demo generator: deterministic, plausible, and free of personal data."""

import re
from collections import Counter
from datetime import UTC, date, timedelta
from itertools import combinations

import pytest
from shapely.geometry import Point, shape

from est_pwa.accounts.models import ORGANISATION_KINDS, ROLES
from est_pwa.categories.seed import CATEGORIES, category_codes
from est_pwa.demo.generator import RECEIPT_ALPHABET, STOCKHOLM, generate, window
from est_pwa.observations.models import AGE_GROUPS, PLACE_TYPES, PUBLIC_SOURCE, STATUSES

TODAY = date(2026, 11, 27)
PERSONNUMMER = re.compile(r"\d{6}[-+]?\d{4}")
PLATE = re.compile(r"\b[A-ZÅÄÖ]{3} ?\d{2}[A-Z0-9]\b")


@pytest.fixture(scope="module")
def demo():
    return generate(TODAY)


def local(moment):
    return moment.astimezone(STOCKHOLM)


def age(observation) -> int:
    return (TODAY - local(observation.occurred_at).date()).days


def test_same_inputs_give_the_same_data(demo):
    assert generate(TODAY) == demo
    assert generate(TODAY, seed=7).observations[0].id not in {o.id for o in demo.observations}


@pytest.mark.parametrize("today", [TODAY, date(2024, 6, 1), date(2026, 3, 31), date(2025, 2, 28)])
def test_about_3000_observations_in_the_last_30_months(today):
    observations = generate(today).observations
    start, end = window(today)
    assert 2700 <= len(observations) <= 3300
    assert all(start <= o.occurred_at < end for o in observations)
    assert all(o.occurred_at.tzinfo is UTC and o.created_at.tzinfo is UTC for o in observations)
    assert all(o.occurred_at <= o.created_at <= end for o in observations)


@pytest.mark.parametrize(
    ("today", "first_day"),
    [(TODAY, date(2024, 5, 27)), (date(2026, 3, 31), date(2023, 9, 30))],
)
def test_window_starts_30_calendar_months_back(today, first_day):
    start, end = window(today)
    assert start.date() == first_day and end.date() == today


def test_ids_and_receipt_codes_are_unique(demo):
    ids = [o.id for o in demo.observations]
    codes = [o.receipt_code for o in demo.observations if o.receipt_code]
    assert len(set(ids)) == len(ids)
    assert len(set(codes)) == len(codes)


def test_every_point_lies_in_its_area(demo):
    boundaries = {area.name: shape(area.geometry) for area in demo.areas}
    outside = [o for o in demo.observations if not boundaries[o.area].contains(Point(o.lon, o.lat))]
    assert outside == []


def test_points_gather_at_hotspots(demo):
    spots = Counter((round(o.lat, 3), round(o.lon, 3)) for o in demo.observations)
    busiest = sum(count for _, count in spots.most_common(30))
    assert busiest > 0.15 * len(demo.observations)


def test_areas_are_closed_disjoint_and_marked_as_demo(demo):
    assert 6 <= len(demo.areas) <= 10
    assert sum(area.prioritised for area in demo.areas) == 2
    for area in demo.areas:
        ring = area.geometry["coordinates"][0]
        assert area.geometry["type"] == "Polygon" and ring[0] == ring[-1]
        assert "Demoområde – inte en officiell gräns" in area.description
        assert 14.95 < ring[0][0] < 15.35 and 59.03 < ring[0][1] < 59.24  # [lon, lat]
    for one, other in combinations(demo.areas, 2):
        assert shape(one.geometry).intersection(shape(other.geometry)).area == 0


def test_every_category_code_is_seeded(demo):
    assert {o.category for o in demo.observations} <= category_codes()


def test_every_main_category_appears(demo):
    for main in CATEGORIES:
        assert any(o.category.startswith(main.code) for o in demo.observations), main.code


@pytest.mark.parametrize(
    ("field", "allowed"),
    [
        ("status", set(STATUSES)),
        ("place_type", set(PLACE_TYPES)),
        ("age_group", {*AGE_GROUPS, None}),
        ("source", {*ORGANISATION_KINDS, PUBLIC_SOURCE}),
        ("assessment", {1, 2, 3}),
    ],
)
def test_codes_are_ones_the_app_knows(demo, field, allowed):
    assert {getattr(o, field) for o in demo.observations} <= allowed


@pytest.mark.parametrize(
    ("today", "earlier", "later"),
    [(TODAY, 2025, 2026), (date(2024, 6, 1), 2022, 2023), (date(2025, 12, 1), 2024, 2025)],
)
def test_motorised_gatherings_fall_after_their_peak(today, earlier, later):
    years = Counter(
        local(o.occurred_at).year
        for o in generate(today).observations
        if o.category == "SAMLING_MOTORBUREN"
    )
    assert years[earlier] > 1.2 * years[later]


def test_suspected_dealing_in_ekeberg_rises_lately(demo):
    def count(first, last):
        return sum(
            o.area == "Ekeberg"
            and o.category == "NARKOTIKA_FORSALJNING"
            and first <= local(o.occurred_at).date() < last
            for o in demo.observations
        )

    recent = count(TODAY - timedelta(days=90), TODAY)
    year_before = count(TODAY - timedelta(days=455), TODAY - timedelta(days=365))
    assert recent >= 15 and recent > 2.5 * year_before


def test_public_share_is_between_5_and_20_percent(demo):
    public = [o for o in demo.observations if o.source == PUBLIC_SOURCE]
    assert 0.05 <= len(public) / len(demo.observations) <= 0.20


def test_public_observations_have_a_receipt_code_and_no_reporter(demo):
    for o in demo.observations:
        if o.source == PUBLIC_SOURCE:
            assert o.reporter_email is None and o.organisation is None
            assert len(o.receipt_code) == 8 and set(o.receipt_code) <= set(RECEIPT_ALPHABET)
        else:
            assert o.reporter_email and o.organisation and o.receipt_code is None


def test_reporters_are_demo_users_of_the_source_kind(demo):
    users = {user.email: user for user in demo.users}
    kinds = {organisation.name: organisation.kind for organisation in demo.organisations}
    for o in demo.observations:
        if o.reporter_email:
            assert users[o.reporter_email].organisation == o.organisation
            assert kinds[o.organisation] == o.source


def test_there_is_a_user_for_every_role(demo):
    organisations = {organisation.name for organisation in demo.organisations}
    assert {user.role for user in demo.users} == set(ROLES)
    assert {user.organisation for user in demo.users} <= organisations
    assert len({user.password for user in demo.users}) == len(demo.users)
    caretakers = [
        u for u in demo.users if u.role == "reporter" and u.organisation == "Kumlabostäder"
    ]
    assert len(caretakers) == 1


@pytest.mark.parametrize("pattern", [PERSONNUMMER, PLATE], ids=["personnummer", "plate"])
def test_descriptions_hold_no_personal_data(demo, pattern):
    texts = [o.description for o in demo.observations] + [o.place_text for o in demo.observations]
    assert [text for text in texts if pattern.search(text)] == []


def test_gatherings_come_with_persons_and_age_group(demo):
    gatherings = [o for o in demo.observations if o.category.startswith("SAMLING")]
    assert all(o.persons_count and o.age_group for o in gatherings)
    assert all(o.persons_count is None for o in demo.observations if o.category == "OVRIGT")


def is_weekend_night(moment) -> bool:
    moment = local(moment)
    evening = moment.weekday() in (4, 5) and moment.hour >= 18
    after_midnight = moment.weekday() in (5, 6) and moment.hour < 5
    return evening or after_midnight


def is_daytime(moment) -> bool:
    return 6 <= local(moment).hour < 17


@pytest.mark.parametrize(
    ("prefix", "when", "share"),
    [
        ("SAMLING_MOTORBUREN", is_weekend_night, 0.4),
        ("NEDSKRAPNING", is_daytime, 0.8),
        ("ORDNING_SNATTERI", is_daytime, 0.6),
    ],
)
def test_daily_and_weekly_rhythm(demo, prefix, when, share):
    chosen = [o for o in demo.observations if o.category.startswith(prefix)]
    assert sum(when(o.occurred_at) for o in chosen) > share * len(chosen)


def test_summer_evenings_are_busier_than_winter_evenings(demo):
    months = Counter(
        local(o.occurred_at).month for o in demo.observations if o.category.startswith("SAMLING_A")
    )
    assert months[7] > 2 * months[1]


def test_status_follows_age(demo):
    def statuses(youngest, oldest):
        return Counter(o.status for o in demo.observations if youngest <= age(o) <= oldest)

    recent, old = statuses(0, 6), statuses(180, 1000)
    assert set(recent) <= {"ny", "granskad"} and recent["ny"] > recent["granskad"]
    assert (old["avslutad"] + old["atgardad"]) > 0.8 * old.total()


def test_seeded_codes_are_stable_ascii_and_prefixed():
    codes = category_codes()
    assert len(codes) == sum(1 + len(main.children) for main in CATEGORIES)
    assert all(re.fullmatch(r"[A-Z_]+", code) for code in codes)
    for main in CATEGORIES:
        assert all(child.code.startswith(main.code + "_") for child in main.children)
