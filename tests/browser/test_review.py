"""A coordinator finds an observation in the inbox, opens it, classifies it and moves it on."""

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from est_pwa.categories.models import Category
from est_pwa.clock import now_utc
from est_pwa.extensions import db
from est_pwa.observations.models import Observation

from .conftest import log_in
from .test_accessibility import axe_violations, explain

KUMLA = (59.1277, 15.1434)


def add_observation(live_server, place_text: str, code: str = "SKADEGORELSE_KLOTTER") -> str:
    """Store an observation on the live server; return its id."""

    def add(session) -> str:
        category = session.scalar(db.select(Category).filter_by(code=code))
        observation = Observation(
            id=uuid.uuid4(),
            occurred_at=now_utc() - timedelta(hours=1),
            lat=KUMLA[0],
            lon=KUMLA[1],
            place_text=place_text,
            category=category,
            source="municipal_unit",
        )
        session.add(observation)
        session.commit()
        return str(observation.id)

    return live_server.query(add)


def stored(live_server, observation_id: str) -> tuple[str, str, str | None, bool]:
    def read(session):
        found = session.get(Observation, uuid.UUID(observation_id))
        area = found.area.name if found.area else None
        return found.category.code, found.status, area, found.area_locked

    return live_server.query(read)


@pytest.fixture
def coordinator(create_account):
    return create_account("coordinator", kind="municipal_unit")


def test_inbox_to_detail_to_classify(page, live_server, coordinator):
    place = f"Gångtunneln {uuid.uuid4().hex[:6]}"
    observation_id = add_observation(live_server, place)
    log_in(page, coordinator)
    page.get_by_role("link", name="Observationer").click()
    search = page.locator("input[name=q]")
    if not search.is_visible():  # on a phone the filter starts folded
        page.locator(".review-layout__filter summary").click()
    search.fill(place)
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page.get_by_role("heading", name="1 observation")).to_be_visible()
    page.get_by_role("link", name="Klotter").click()
    expect(page).to_have_url(f"{live_server.url}/observationer/{observation_id}")
    expect(page.get_by_role("heading", name="Klotter", level=1)).to_be_visible()

    page.get_by_label("Kategori").select_option("NEDSKRAPNING_FIMPAR")
    page.get_by_label("Typ av plats").select_option("park")
    page.get_by_label("Område").select_option(label="Norr")
    page.get_by_role("button", name="Spara klassningen").click()
    expect(page.get_by_text("Klassningen sparades.")).to_be_visible()
    expect(page.get_by_role("heading", name="Fimpar", level=1)).to_be_visible()
    expect(page.locator(".history")).to_contain_text("Klassning ändrad")

    page.get_by_label("Ny status").select_option("granskad")
    page.get_by_role("button", name="Ändra status").click()
    expect(page.get_by_text("Statusen är nu ”Granskad”.")).to_be_visible()
    assert stored(live_server, observation_id) == ("NEDSKRAPNING_FIMPAR", "granskad", "Norr", True)


def test_rejecting_without_a_reason_is_explained(page, live_server, coordinator):
    observation_id = add_observation(live_server, "Parkeringen")
    log_in(page, coordinator)
    page.goto(f"/observationer/{observation_id}")
    page.get_by_label("Ny status").select_option("avvisad")
    page.get_by_role("button", name="Ändra status").click()
    expect(page.get_by_text("Ange varför observationen avvisas.")).to_be_visible()
    assert stored(live_server, observation_id)[1] == "ny"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_review_pages_meet_wcag_21_aa(page, live_server, coordinator, scheme):
    observation_id = add_observation(live_server, "Torget")
    page.emulate_media(color_scheme=scheme)
    log_in(page, coordinator)
    for path in ("/granskning", f"/observationer/{observation_id}"):
        page.goto(path)
        violations = axe_violations(page)
        assert not violations, f"{path} in {scheme}:\n{explain(violations)}"
