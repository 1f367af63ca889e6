"""The weekly picture page: the chosen week, its figures, and who sees what on it."""

import html
import re
from datetime import timedelta

import pytest

from est_pwa.analysis.weekly import Week, grid_cell, last_complete_week
from est_pwa.clock import now_utc
from est_pwa.extensions import db
from est_pwa.observations.models import Comment

from conftest import KUMLA

WEEK = Week(2026, 10)  # 2–8 March 2026, long past


@pytest.fixture
def categories(create_category):
    damage = create_category("SKADEGORELSE", name_sv="Skadegörelse")
    litter = create_category("NEDSKRAPNING", name_sv="Nedskräpning")
    graffiti = create_category("SKADEGORELSE_KLOTTER", parent=damage, name_sv="Klotter")
    return {"damage": damage, "litter": litter, "graffiti": graffiti}


@pytest.fixture
def report(create_observation, categories):
    """Return a factory of observations in WEEK (or ``weeks_before`` it), on its Wednesday."""

    def create(weeks_before: int = 0, category="damage", week=WEEK, **fields):
        occurred_at = week.start + timedelta(weeks=-weeks_before, days=2, hours=10)
        return create_observation(categories[category], occurred_at=occurred_at, **fields)

    return create


def page(client, week: str | None = None) -> str:
    response = client.get("/lagesbild/vecka" + (f"?vecka={week}" if week else ""))
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def cells(text: str, label: str) -> list[str]:
    """Return the texts of the cells after the row heading ``label``."""
    row = re.search(r"<th[^>]*>" + re.escape(label) + r"</th>(.*?)</tr>", text, re.S)
    assert row, f"no row {label!r}"
    found = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


def test_the_page_shows_the_last_complete_week_by_default(client, login_as, report):
    login_as("coordinator")
    week = last_complete_week(now_utc())
    report(week=week)
    text = page(client)
    assert f"Vecka {week.number}, {week.year}" in text
    assert f'value="{week.label}"' in text
    assert cells(text, "Utanför alla områden") == ["1", "0", "+1"]
    assert f'href="/lagesbild/vecka?vecka={week.shifted(-1).label}"' in text
    assert "Skriv ut" in text


def test_a_chosen_week_compares_areas_and_categories(client, login_as, report, create_area):
    login_as("coordinator")
    centre = create_area("Centrum")
    for _ in range(4):
        report(area=centre)
    report(1, area=centre)
    report(3, category="graffiti", area=centre)  # counts as its main category
    report(0, category="litter")
    report(5, area=centre)  # five weeks before: outside the comparison
    report(0, area=centre, moderation="pending", source="public")  # not accepted: not counted
    text = page(client, WEEK.label)
    assert "Vecka 10, 2026" in text
    assert "2–8 mars 2026" in text
    assert cells(text, "Centrum") == ["4", "0,5", "+3,5 Tydlig ökning"]
    assert cells(text, "Skadegörelse") == ["4", "0,5", "+3,5 Tydlig ökning"]
    assert cells(text, "Nedskräpning") == ["1", "0", "+1"]
    assert text.index(">Centrum<") < text.index(">Utanför alla områden<")
    assert "minst 3 rapporter under veckan" in text
    assert 'href="/lagesbild/vecka?vecka=2026-W11"' in text


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("2026-W99", "Skriv veckan som år och veckonummer"),
        ("vecka 12", "Skriv veckan som år och veckonummer"),
        ("2026-W47" * 50, "Skriv veckan som år och veckonummer"),
        ("2999-W01", "Den veckan har inte börjat än."),
    ],
)
def test_a_bad_or_future_week_says_so_and_shows_the_default(client, login_as, asked, message):
    login_as("coordinator")
    week = last_complete_week(now_utc())
    text = page(client, asked)
    assert message in text
    assert f"I stället visas vecka {week.number}, {week.year}." in text
    assert f"Vecka {week.number}, {week.year}</h1>" in text


def test_new_places_are_listed_with_their_area_and_a_map_link(client, login_as, report):
    login_as("coordinator")
    report(lat=KUMLA[0], lon=KUMLA[1])
    report(lat=KUMLA[0] + 0.0001, lon=KUMLA[1], category="litter")
    assert grid_cell(KUMLA[0] + 0.0001, KUMLA[1]) == grid_cell(*KUMLA)
    text = page(client, WEEK.label)
    places = text[text.index('id="places-heading"') :]
    assert "Skadegörelse (1), Nedskräpning (1)" in places
    assert re.search(r"/karta\?date_from=2026-03-02&date_to=2026-03-08&lat=59\.12", places)


def test_open_observations_are_listed_oldest_first(client, login_as, report):
    login_as("coordinator")
    older = report(5, created_at=now_utc() - timedelta(days=20))
    newer = report(
        0, created_at=now_utc() - timedelta(days=2), source="public", moderation="pending"
    )
    report(0, status="granskad")
    report(0, moderation="spam", source="public")
    text = page(client, WEEK.label)
    assert "2 observationer har status Ny" in text
    assert text.index(f"/observationer/{older.id}") < text.index(f"/observationer/{newer.id}")
    assert "Inte godkänd än" in text


def comment(observation, user, body: str, shared: bool = True, created_at=None) -> Comment:
    found = Comment(
        observation=observation,
        author=user,
        organisation=user.organisation,
        body=body,
        shared=shared,
        created_at=created_at or WEEK.start + timedelta(days=3),
    )
    db.session.add(found)
    db.session.commit()
    return found


def test_comments_of_the_week_hide_other_organisations_internal_ones(
    client, login_as, create_user, report
):
    user = login_as("police")
    partner = create_user("coordinator")
    observation = report()
    comment(observation, partner, "Kommunen har beställt sanering.")
    comment(observation, partner, "Bara för kommunen: ring 070-123 45 67.", shared=False)
    comment(observation, user, "Polisens egen notering.", shared=False)
    comment(observation, partner, "Förra veckan.", created_at=WEEK.start - timedelta(days=1))
    text = page(client, WEEK.label)
    assert "Kommunen har beställt sanering." in text
    assert "Polisens egen notering." in text
    assert "Bara för kommunen" not in text
    assert "Förra veckan." not in text
    assert cells(text, "Skadegörelse")[0] == "1"


def test_comments_are_masked_for_those_without_pii_view(client, login_as, create_user, report):
    login_as("police")
    partner = create_user("coordinator")
    comment(report(), partner, "Vaktmästaren nås på 070-123 45 67.")
    text = page(client, WEEK.label)
    assert "Vaktmästaren nås på [telefon]." in text
    assert "070-123 45 67" not in text


def test_viewer_sees_figures_but_no_single_observations_nor_comments(
    client, login_as, create_user, report
):
    login_as("viewer")
    observation = report(lat=KUMLA[0], lon=KUMLA[1])
    report(lat=KUMLA[0], lon=KUMLA[1])
    comment(observation, create_user("coordinator"), "En delad kommentar.")
    text = page(client, WEEK.label)
    assert cells(text, "Skadegörelse") == ["2", "0", "+2"]
    assert "Nya platser med upprepade rapporter" in text and "/karta?" in text
    assert "2 observationer har status Ny" in text
    assert "/observationer/" not in text
    assert "Veckans kommentarer" not in text and "En delad kommentar." not in text


def test_reporter_sees_the_picture_of_their_own_organisation(client, login_as, create_user, report):
    user = login_as("reporter")
    other = create_user("reporter")
    own = report(organisation=user.organisation)
    theirs = report(organisation=other.organisation)
    report(organisation=other.organisation)
    comment(theirs, other, "Hos ett annat bolag.")
    text = page(client, WEEK.label)
    assert f"bara rapporter från {user.organisation.name}" in text
    assert cells(text, "Skadegörelse")[0] == "1"
    assert "1 observation har status Ny" in text
    assert f"/observationer/{own.id}" in text
    assert f"/observationer/{theirs.id}" not in text
    assert "Hos ett annat bolag." not in text


def test_the_page_needs_a_log_in(client):
    response = client.get("/lagesbild/vecka")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_current_week_is_marked_unfinished_and_has_no_next_link(client, login_as):
    login_as("coordinator")
    week = last_complete_week(now_utc()).shifted(1)
    text = page(client, week.label)
    assert "Veckan är inte slut än" in text
    assert f"vecka={week.shifted(1).label}" not in text
    assert f'max="{week.label}"' in text


def test_a_week_across_two_months_shows_both_dates(client, login_as):
    login_as("coordinator")
    assert "30 mars 2026 – 5 apr 2026" in page(client, "2026-W14")


def test_the_page_reads_in_english_too(client, login_as, report):
    login_as("police")
    report()
    client.set_cookie("est_lang", "en")
    text = page(client, WEEK.label)
    assert "Week 10, 2026" in text
    assert cells(text, "Outside every area") == ["1", "0", "+1"]
    assert "Comments of the week" in text
