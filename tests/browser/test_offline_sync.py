"""Capturing offline and syncing: nothing is lost, nothing is stored twice, the user sees it all.

The service worker's Background Sync and the page both flush the outbox, so a test never relies on
which of them delivers; it waits for the server to hold the reports, then checks what the user sees.
"""

import re
from io import BytesIO

from PIL import Image
from playwright.sync_api import expect

from .conftest import (
    OBSERVATIONS_API,
    STOCKHOLM,
    capture,
    category_inactive,
    choose_category,
    expect_waiting,
    log_in,
    log_out,
    outbox_rows,
    outbox_text,
    send_now,
    stored_observations,
    wait_for_offline_pages,
    wait_for_service_worker,
    wait_for_stored,
)


def open_capture_page(page, account) -> None:
    """Log in, let the service worker take over, and open "Ny rapport"."""
    log_in(page, account)
    wait_for_service_worker(page)
    page.goto("/rapport/ny")


def alert_badge(page):
    """The header badge in its alert look: an item was refused or waits for a log-in."""
    return page.locator("[data-outbox-badge].outbox-badge--alert")


def retry_text(page) -> re.Pattern:
    """Return the pattern of the "sending failed; trying again HH:MM:SS" text."""
    before, after = outbox_text(page, "retry").split("{when}")
    return re.compile(f"^{re.escape(before)}\\d\\d:\\d\\d:\\d\\d{re.escape(after)}$")


def expect_one_row(page, state: str):
    """Open "Mina rapporter" and return its one outbox row, in ``state``."""
    page.goto("/mina-rapporter")
    row = outbox_rows(page)
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-state", state)
    return row


def expect_refused(page, report_id: str, message: str):
    """Expect "Mina rapporter" to show the report as refused with the server's message."""
    expect(alert_badge(page)).to_be_visible()
    page.goto("/mina-rapporter")
    row = page.locator(f"[data-outbox-id='{report_id}']")
    expect(row).to_have_attribute("data-state", "rejected")
    expect(row.locator(".badge")).to_have_text(outbox_text(page, "rejected"))
    expect(row.locator(".field__error")).to_have_text(message)
    expect(alert_badge(page)).to_be_visible()
    return row


def resend_after_fault(page, live_server, faults) -> None:
    """Let the flushes under way meet the fault, lift it, and press "Skicka nu"."""
    live_server.settle()
    faults.clear()
    send_now(page)


def test_offline_capture_survives_reload_and_syncs_once(
    page, context, live_server, faults, reporter, photo
):
    open_capture_page(page, reporter)
    wait_for_offline_pages(page, "/rapport/ny", "/mina-rapporter")
    context.set_offline(True)
    for place in ("gavelväggen", "busskuren", "cykelstället"):
        capture(page, description=f"Klotter på {place}", photo=photo)
    expect_waiting(page, 3)

    assert page.reload().from_service_worker
    expect(page.locator("form[data-capture]")).to_be_visible()
    expect_waiting(page, 3)
    assert page.goto("/mina-rapporter").from_service_worker
    expect(outbox_rows(page)).to_have_count(3)
    for row in outbox_rows(page).all():
        expect(row).to_have_attribute("data-state", "waiting")
        expect(row.locator(".report-list__title")).to_have_text("Klotter")
    assert stored_observations(live_server, reporter) == []

    context.set_offline(False)  # the page's `online` listener and Background Sync flush
    wait_for_stored(live_server, reporter, 3)
    expect_waiting(page, 0)  # an item leaves the outbox once its photos are stored too
    expect(outbox_rows(page)).to_have_count(0)
    stored = stored_observations(live_server, reporter)

    assert sorted(o.description for o in stored) == [
        "Klotter på busskuren",
        "Klotter på cykelstället",
        "Klotter på gavelväggen",
    ]
    assert faults.statuses("POST", OBSERVATIONS_API).count(201) == 3
    for observation in stored:
        assert observation.category == "SKADEGORELSE_KLOTTER"
        assert observation.area == "Centrum"
        assert len(observation.photos) == 1
        stored_photo = observation.photos[0]
        image = Image.open(BytesIO(stored_photo.data))
        assert max(image.size) <= 2048
        assert image.size == (stored_photo.width, stored_photo.height)
        assert not image.getexif()
        assert "exif" not in image.info
    page.reload()
    expect(page.locator("[data-sent-id]")).to_have_count(3)
    for observation in stored:
        expect(page.locator(f"[data-sent-id='{observation.id}']")).to_be_visible()


def test_server_error_then_success_retries(page, live_server, faults, reporter):
    faults.plan("POST", OBSERVATIONS_API, 500, times=None)
    open_capture_page(page, reporter)
    report_id = capture(page)
    expect_waiting(page, 1)

    row = expect_one_row(page, "waiting")
    expect(row.locator(".badge")).to_have_text(retry_text(page))
    assert stored_observations(live_server, reporter) == []

    resend_after_fault(page, live_server, faults)
    assert [o.id for o in wait_for_stored(live_server, reporter, 1)] == [report_id]
    expect(outbox_rows(page)).to_have_count(0)
    expect_waiting(page, 0)
    statuses = faults.statuses("POST", OBSERVATIONS_API)
    assert set(statuses[:-1]) == {500} and statuses[-1] == 201


def test_captive_portal_200_html_is_not_delivery(page, live_server, faults, reporter):
    portal = "<!doctype html><title>Wi-Fi</title><p>Godkänn villkoren för att surfa.</p>"
    faults.plan("POST", OBSERVATIONS_API, 200, portal, content_type="text/html", times=None)
    open_capture_page(page, reporter)
    report_id = capture(page)

    row = expect_one_row(page, "waiting")
    expect(row.locator(".badge")).to_have_text(retry_text(page))
    expect_waiting(page, 1)
    assert stored_observations(live_server, reporter) == []

    resend_after_fault(page, live_server, faults)
    assert [o.id for o in wait_for_stored(live_server, reporter, 1)] == [report_id]
    expect(outbox_rows(page)).to_have_count(0)
    assert faults.statuses("POST", OBSERVATIONS_API).count(201) == 1


def test_401_mid_flush_keeps_items_and_sends_after_login(page, context, live_server, reporter):
    open_capture_page(page, reporter)
    context.set_offline(True)
    first = capture(page, description="Krossad ruta vid entrén")
    second = capture(page, description="Klotter i tunneln")
    context.clear_cookies()  # the session expires while the phone is offline
    context.set_offline(False)

    # The flush finds no user: both items wait for a log-in, none is sent.
    expect(alert_badge(page)).to_be_visible()
    expect_waiting(page, 2)
    page.goto("/mina-rapporter")
    expect(page).to_have_url(re.compile(r"/login\?next=/mina-rapporter"))
    login_needed = page.locator("body").get_attribute("data-text-login-needed")
    expect(page.locator("[data-toasts]").get_by_text(login_needed)).to_be_visible()
    assert stored_observations(live_server, reporter) == []

    log_in(page, reporter)
    expect(page).to_have_url(re.compile(r"/mina-rapporter$"))
    stored = wait_for_stored(live_server, reporter, 2)
    assert {o.id for o in stored} == {first, second}
    expect(outbox_rows(page)).to_have_count(0)
    expect_waiting(page, 0)


def test_401_answer_asks_for_login_and_keeps_the_item(page, live_server, faults, reporter):
    faults.plan("POST", OBSERVATIONS_API, 401, {"error": "Du behöver logga in."}, times=None)
    open_capture_page(page, reporter)
    report_id = capture(page)
    expect(alert_badge(page)).to_be_visible()

    row = expect_one_row(page, "login")
    expect(row.locator(".badge")).to_have_text(outbox_text(page, "login"))
    expect(alert_badge(page)).to_be_visible()

    resend_after_fault(page, live_server, faults)
    assert [o.id for o in wait_for_stored(live_server, reporter, 1)] == [report_id]
    expect(outbox_rows(page)).to_have_count(0)
    expect_waiting(page, 0)


def test_items_of_one_user_are_never_sent_under_another(
    page, context, live_server, faults, create_account
):
    anna, bertil = create_account(), create_account()
    open_capture_page(page, anna)
    context.set_offline(True)
    annas = {capture(page, description="Annas första"), capture(page, description="Annas andra")}
    context.clear_cookies()
    context.set_offline(False)
    expect(alert_badge(page)).to_be_visible()

    log_in(page, bertil)
    page.goto("/rapport/ny")
    bertils = capture(page, description="Bertils egen")
    assert [o.id for o in wait_for_stored(live_server, bertil, 1)] == [bertils]
    page.goto("/mina-rapporter")
    expect(page.locator("[data-sent-id]")).to_have_count(1)
    others = outbox_text(page, "other-user").replace("{n}", "2")
    expect(page.locator("[data-outbox-summary]")).to_contain_text(others)
    expect(outbox_rows(page)).to_have_count(0)
    expect_waiting(page, 0)
    live_server.settle()
    assert stored_observations(live_server, anna) == []
    posts = faults.statuses("POST", OBSERVATIONS_API)
    assert posts.count(201) == 1 and set(posts) <= {200, 201}  # Bertil's, and only his

    log_out(page)
    log_in(page, anna, "/login?next=/mina-rapporter")
    assert {o.id for o in wait_for_stored(live_server, anna, 2)} == annas
    expect(outbox_rows(page)).to_have_count(0)
    page.reload()
    expect(page.locator("[data-sent-id]")).to_have_count(2)
    expect(page.locator("[data-outbox-summary]")).to_have_text(outbox_text(page, "empty"))
    assert len(stored_observations(live_server, bertil)) == 1


def test_refused_item_shows_reason_and_can_be_fixed(page, live_server, reporter):
    open_capture_page(page, reporter)
    with category_inactive(live_server, "NEDSKRAPNING_FIMPAR"):
        report_id = capture(page, category="NEDSKRAPNING_FIMPAR", description="Fimpar i rabatten")
        row = expect_refused(page, report_id, live_server.translate("Unknown category."))

        row.locator("a[href*='utkast=']").click()
        expect(page).to_have_url(re.compile(f"/rapport/ny\\?utkast={report_id}$"))
        expect(page.locator("#description")).to_have_value("Fimpar i rabatten")
        expect(page.locator("input[name=category]:checked")).to_have_count(0)
        choose_category(page, "NEDSKRAPNING_GLAS")
        page.locator("[data-save]").click()
        [stored] = wait_for_stored(live_server, reporter, 1)
        expect_waiting(page, 0)

    assert (stored.id, stored.category, stored.description) == (
        report_id,
        "NEDSKRAPNING_GLAS",
        "Fimpar i rabatten",
    )


def test_refused_position_is_fixed_by_choosing_an_area(page, context, live_server, reporter):
    context.set_geolocation(STOCKHOLM)  # a wrong fix, far outside Kumla
    open_capture_page(page, reporter)
    report_id = capture(page, description="Trasig gatlykta")
    outside = live_server.translate(
        "The position lies outside %(place)s.", place=live_server.app.config["MUNICIPALITY_NAME"]
    )
    row = expect_refused(page, report_id, outside)

    row.locator("a[href*='utkast=']").click()
    expect(page.locator("#description")).to_have_value("Trasig gatlykta")
    page.locator("#area_id").select_option(label="Norr")
    page.locator("[data-save]").click()
    [stored] = wait_for_stored(live_server, reporter, 1)
    expect_waiting(page, 0)
    assert (stored.id, stored.area) == (report_id, "Norr")


def test_discarding_a_refused_item_removes_it(page, live_server, faults, reporter):
    refusal = {"errors": {"description": ["Beskrivningen innehåller ett personnummer."]}}
    faults.plan("POST", OBSERVATIONS_API, 400, refusal, times=None)
    open_capture_page(page, reporter)
    report_id = capture(page, description="Något som servern vägrar ta emot")
    row = expect_refused(page, report_id, "Beskrivningen innehåller ett personnummer.")

    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button.button--danger").click()
    expect(outbox_rows(page)).to_have_count(0)
    expect_waiting(page, 0)
    page.reload()
    expect(page.locator("[data-outbox-summary]")).to_have_text(outbox_text(page, "empty"))
    expect(outbox_rows(page)).to_have_count(0)
    live_server.settle()
    assert stored_observations(live_server, reporter) == []
    assert set(faults.statuses("POST", OBSERVATIONS_API)) == {400}
