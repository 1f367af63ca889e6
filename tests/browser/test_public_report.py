"""A resident without an account reports offline; the report arrives once with its photo."""

import uuid

from playwright.sync_api import expect

from est_pwa.observations.models import Observation

from .conftest import expect_waiting, wait_for_service_worker


def public_reports_with(live_server, text: str) -> list[tuple[str, int, str]]:
    """Return (receipt code, photo count, moderation) of public reports whose text has ``text``."""

    def read(session):
        rows = session.scalars(
            session.query(Observation)
            .filter(Observation.source == "public", Observation.description.contains(text))
            .statement
        ).all()
        return [(row.receipt_code, len(row.photos), row.moderation) for row in rows]

    return live_server.query(read)


def test_a_resident_reports_offline_and_follows_the_receipt(page, live_server, photo):
    marker = f"Mörk gångtunnel {uuid.uuid4().hex[:6]}"
    page.goto("/trygghetsvandring")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.reload()  # the e-service opened once loads again without a connection

    page.locator("label:has(input[name=feeling][value=otrygg])").click()
    page.locator("label:has(input[name=topic][value=belysning])").click()
    page.get_by_role("button", name="Använd min position").click()
    expect(page.locator("[data-position-status]")).to_contain_text("Position")
    page.locator("label:has(input[name=time_of_day][value=kväll])").click()
    page.locator("#description").fill(marker)
    page.locator("#photos").set_input_files(photo)
    expect(page.locator("[data-photo-previews] li")).to_have_count(1)
    page.locator("[data-save]").click()
    expect_waiting(page, 1)
    assert public_reports_with(live_server, marker) == []

    page.context.set_offline(False)
    expect_waiting(page, 0)
    stored = public_reports_with(live_server, marker)
    assert len(stored) == 1
    code, photos, moderation = stored[0]
    assert (photos, moderation) == (1, "pending")

    receipt = page.locator("[data-receipt-list] a", has_text=code)
    expect(receipt).to_be_visible()
    receipt.click()
    expect(page.locator("main")).to_contain_text(code)
    expect(page.locator("main")).to_contain_text("Mottagen, inte granskad än")
