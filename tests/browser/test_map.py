"""The observation map: markers and the list beside it, a heat map, and counts only for viewers."""

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from est_pwa.areas.models import Area
from est_pwa.categories.models import Category
from est_pwa.clock import now_utc
from est_pwa.extensions import db
from est_pwa.observations.models import Observation

from .conftest import DESKTOP, log_in
from .test_accessibility import axe_violations, explain

# Three places in Kumla's centre (the seeded area "Centrum"), each a few hundred metres apart.
PLACES = [(59.1262, 15.1405), (59.1281, 15.1440), (59.1300, 15.1470)]


def add_observations(live_server, code: str, place_text: str = "") -> list[str]:
    """Store an observation of ``code`` at each place on the live server; return their ids."""

    def add(session) -> list[str]:
        category = session.scalar(db.select(Category).filter_by(code=code))
        centre = session.scalar(db.select(Area).filter_by(name="Centrum"))
        found = []
        for hours, (lat, lon) in enumerate(PLACES, start=1):
            observation = Observation(
                id=uuid.uuid4(),
                occurred_at=now_utc() - timedelta(hours=hours),
                lat=lat,
                lon=lon,
                category=category,
                place_text=place_text,
                area=centre,
                source="municipal_unit",
            )
            session.add(observation)
            found.append(str(observation.id))
        session.commit()
        return found

    return live_server.query(add)


@pytest.fixture
def coordinator(create_account):
    return create_account("coordinator", kind="municipal_unit")


def open_map(page, query: str = "") -> None:
    page.goto(f"/karta{query}")
    expect(page.locator("[data-map-status]")).to_have_text(re.compile(r"i kartutsnittet\.$"))


def test_a_coordinator_sees_markers_and_the_same_observations_listed(
    page, live_server, coordinator
):
    place = f"Kartprov {uuid.uuid4().hex[:8]}"  # the session's other tests add observations too
    ids = add_observations(live_server, "NARKOTIKA_RESTER", place)
    page.set_viewport_size(DESKTOP)
    log_in(page, coordinator)
    page.get_by_role("link", name="Karta", exact=True).click()
    open_map(page, f"?q={place}")

    # Clusters and markers on the map, all reachable with the keyboard.
    on_map = page.locator("#observation-map .map-point, #observation-map .map-count")
    expect(on_map.first).to_be_visible()
    expect(on_map.first).to_have_attribute("tabindex", "0")
    expect(page.locator("#observation-map .area-label", has_text="Centrum")).to_be_visible()

    listed = page.locator("[data-map-list] a")
    expect(listed).to_have_count(3)
    expect(page.locator("[data-map-summary]")).to_have_text(
        "3 observationer i kartutsnittet, senaste först."
    )
    hrefs = [listed.nth(i).get_attribute("href") for i in range(3)]
    assert hrefs == [f"/observationer/{observation_id}" for observation_id in ids]
    assert axe_violations(page) == [], explain(axe_violations(page))

    listed.first.click()
    expect(page).to_have_url(f"{live_server.url}/observationer/{ids[0]}")


def test_zooming_in_shows_single_markers_with_a_link_to_their_page(page, live_server, coordinator):
    place = f"Kartprov {uuid.uuid4().hex[:8]}"
    ids = add_observations(live_server, "ORDNING_BRAK", place)
    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="dark")  # the night-walk theme, popups included
    log_in(page, coordinator)
    open_map(page, f"?q={place}")
    cluster = page.locator("#observation-map .map-count").first
    for _ in range(6):  # each cluster opens with Enter, as a click would open it
        if not cluster.count():
            break
        cluster.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(500)
    marker = page.locator("#observation-map .map-point").first
    expect(marker).to_have_attribute("role", "button")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup a", has_text="Öppna observationen")
    expect(link).to_be_focused()
    expect(link).to_have_attribute("href", re.compile("|".join(f"/observationer/{i}" for i in ids)))
    assert axe_violations(page) == [], explain(axe_violations(page))


def test_the_heat_map_replaces_the_markers(page, live_server, coordinator):
    place = f"Kartprov {uuid.uuid4().hex[:8]}"
    add_observations(live_server, "NEDSKRAPNING_GLAS", place)
    log_in(page, coordinator)
    open_map(page, f"?q={place}")
    page.get_by_label("Värmekarta").check()
    expect(page.locator("#observation-map canvas.leaflet-heatmap-layer")).to_be_visible()
    expect(page.locator("#observation-map .map-point, #observation-map .map-count")).to_have_count(
        0
    )
    page.get_by_label("Markörer").check()
    expect(page.locator("#observation-map .leaflet-heatmap-layer")).to_have_count(0)


def test_a_viewer_sees_counts_and_no_single_observation(page, live_server, create_account):
    add_observations(live_server, "SAMLING_TRAPPHUS")
    viewer = create_account("viewer", kind="municipal_unit")
    log_in(page, viewer)
    open_map(page, "?category=SAMLING_TRAPPHUS")
    expect(page.locator("#observation-map .map-count").first).to_be_visible()
    expect(page.locator("#observation-map .map-point")).to_have_count(0)
    expect(page.locator("[data-map-list] a")).to_have_count(0)
    expect(page.locator("[data-map-summary]")).to_contain_text("räknade per ruta")
    expect(page.locator("[data-map-list]")).to_contain_text("Centrum")
    assert axe_violations(page) == [], explain(axe_violations(page))


def test_a_link_to_a_place_opens_the_map_there(page, live_server, coordinator):
    place = f"Kartprov {uuid.uuid4().hex[:8]}"
    ids = add_observations(live_server, "OTRYGG_PLATS_BELYSNING", place)
    log_in(page, coordinator)
    lat, lon = PLACES[0]
    open_map(page, f"?q={place}&lat={lat}&lon={lon}&zoom=18")
    listed = page.locator("[data-map-list] a")
    expect(listed).to_have_count(1)  # the other places lie a few hundred metres away
    expect(listed).to_have_attribute("href", f"/observationer/{ids[0]}")
