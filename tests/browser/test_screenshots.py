"""Screenshots of the reporter's pages for a person to look at (EST_BROWSER_SHOTS=folder)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, outbox_rows

SHOTS = os.environ.get("EST_BROWSER_SHOTS")


@pytest.mark.skipif(not SHOTS, reason="set EST_BROWSER_SHOTS to a folder to take screenshots")
def test_screenshots_of_capture_and_my_reports(page, reporter_with_outbox):
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.goto("/rapport/ny")
            expect(page.locator("[data-position-status]")).not_to_be_empty()
            page.screenshot(path=folder / f"capture-{size}-{scheme}.png", full_page=True)
            page.goto("/mina-rapporter")
            expect(outbox_rows(page)).to_have_count(2)
            page.screenshot(path=folder / f"my-reports-{size}-{scheme}.png", full_page=True)
