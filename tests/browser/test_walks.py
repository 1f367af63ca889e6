"""A stop on a safety walk, captured offline with its checklist, reaches the walk's protocol."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from est_pwa.clock import now_utc
from est_pwa.observations.models import Observation
from est_pwa.walks.models import DEFAULT_CHECKLIST, SafetyWalk

from .conftest import (
    capture,
    expect_waiting,
    log_in,
    wait_for_offline_pages,
    wait_for_service_worker,
    wait_for_stored,
)


def create_walk(live_server) -> uuid.UUID:
    """Add a walk that started a moment ago to the live server; return its id."""

    def add(session) -> uuid.UUID:
        walk = SafetyWalk(
            title=f"Kvällsvandring {uuid.uuid4().hex[:6]}",
            starts_at=now_utc() - timedelta(minutes=10),
            kind="natt",
            organisations="",
            checklist=[dict(item) for item in DEFAULT_CHECKLIST],
            notes="",
            status="planerad",
        )
        session.add(walk)
        session.commit()
        return walk.id

    return live_server.query(add)


def answer(page, key: str, value) -> None:
    page.locator(f"label:has(input[name=checklist-{key}][value='{value}'])").click()


def test_a_walk_stop_captured_offline_keeps_its_walk_and_checklist(page, live_server, reporter):
    walk_id = create_walk(live_server)
    log_in(page, reporter)
    wait_for_service_worker(page)
    page.goto(f"/vandringar/{walk_id}")
    page.get_by_role("link", name="Rapportera på vandringen").click()
    expect(page.locator("[data-walk-notice]")).to_have_attribute("data-walk-notice", str(walk_id))

    wait_for_offline_pages(page, f"/rapport/ny?vandring={walk_id}")
    page.context.set_offline(True)
    page.reload()  # the page the participant opened before losing the connection
    expect(page.locator("[data-checklist]")).to_be_visible()
    answer(page, "belysning", "brist")
    answer(page, "sikt", "ej_bedomt")
    answer(page, "kansla", 2)
    report_id = capture(page, category="OTRYGG_PLATS_BELYSNING", description="Släckt lampa")
    expect_waiting(page, 1)
    # Ready for the next stop on the same walk, with the answers cleared.
    expect(page.locator("input[name=walk_id]")).to_have_value(str(walk_id))
    expect(page.locator("input[name^=checklist-]:checked")).to_have_count(0)

    page.context.set_offline(False)
    wait_for_stored(live_server, reporter, 1)
    stored = live_server.query(
        lambda session: (
            (row := session.get(Observation, uuid.UUID(report_id))).walk_id,
            row.checklist,
        )
    )
    assert stored == (walk_id, {"belysning": "brist", "sikt": "ej_bedomt", "kansla": 2})
    expect_waiting(page, 0)

    page.goto(f"/vandringar/{walk_id}")
    expect(page.locator("#stop-1")).to_contain_text("Släckt lampa")
