"""The app shell: pages open offline after one visit, and a new deploy brings a new worker."""

import re
import shutil

from playwright.sync_api import expect

from .conftest import log_in, log_out, wait_for_offline_pages, wait_for_service_worker

SHELL_PAGES = {
    "/": "main .hero h1",
    "/rapport/ny": "form[data-capture]",
    "/mina-rapporter": "[data-outbox-section]",
}
VERSION = re.compile(r'"version": "([0-9a-f]+)"')


def test_app_shell_loads_offline_after_one_visit(page, context, live_server, reporter):
    log_in(page, reporter)
    wait_for_service_worker(page)
    for path in SHELL_PAGES:
        page.goto(path)

    context.set_offline(True)
    with live_server.stopped():
        for path, selector in SHELL_PAGES.items():
            response = page.goto(path)
            assert response.from_service_worker, path
            expect(page.locator(selector)).to_be_visible()
            worker_start = "performance.getEntriesByType('navigation')[0].workerStart"
            assert page.evaluate(worker_start) > 0, path

        page.goto("/tillganglighet")  # never opened: the offline page stands in
        expect(page.locator("main h1")).to_have_text(live_server.translate("No connection"))
        expect(page.locator("main a[href='/rapport/ny']")).to_be_visible()
    context.set_offline(False)


def service_worker_version(page) -> str:
    response = page.request.get("/sw.js")
    assert response.ok and response.headers["cache-control"] == "no-cache"
    return VERSION.search(response.text()).group(1)


def test_service_worker_version_changes_with_static_file(
    page, live_server, reporter, tmp_path, monkeypatch
):
    log_in(page, reporter)
    page.goto("/rapport/ny")
    wait_for_service_worker(page)
    old_version = service_worker_version(page)
    assert service_worker_version(page) == old_version  # the same files, the same version

    static = tmp_path / "static"
    shutil.copytree(live_server.app.static_folder, static)
    with (static / "css" / "est.css").open("a") as css:
        css.write("\n/* deploy marker */\n")
    monkeypatch.setattr(live_server.app, "static_folder", str(static))
    new_version = service_worker_version(page)
    assert new_version != old_version

    # The open page learns of the new worker and offers to update.
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    update_text = page.locator("body").get_attribute("data-text-update")
    toast = page.locator("[data-toasts] .toast", has_text=update_text)
    expect(toast).to_be_visible(timeout=15000)
    with page.expect_navigation():
        toast.get_by_role("button").click()

    expect(page.locator("form[data-capture]")).to_be_visible()
    wait_for_service_worker(page)
    caches = page.evaluate("caches.keys()")
    assert f"est-static-{new_version}" in caches
    assert f"est-static-{old_version}" not in caches
    css = page.evaluate("fetch('/static/css/est.css').then((response) => response.text())")
    assert css.endswith("/* deploy marker */\n")


def test_pages_of_one_user_are_not_shown_offline_after_log_out(page, live_server, reporter):
    log_in(page, reporter)
    wait_for_service_worker(page)
    page.goto("/mina-rapporter")
    wait_for_offline_pages(page, "/mina-rapporter")
    log_out(page)
    page.context.set_offline(True)
    page.goto("/mina-rapporter")
    expect(page.locator("main")).not_to_contain_text(reporter.email)
    expect(page.locator("[data-outbox-section]")).to_have_count(0)
    page.context.set_offline(False)
