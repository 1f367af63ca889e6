"""Chromium itself judges EST installable (Lighthouse 12 has no PWA category any more)."""

from .conftest import PHONE, wait_for_service_worker


def test_installable(browser_type, browser_type_launch_args, base_url, tmp_path):
    # Installability is not judged in incognito contexts, so this one has a profile on disk.
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args, base_url=base_url, viewport=PHONE
    )
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        page.goto("/manifest.webmanifest")  # a document without a manifest: the check is live
        unlinked = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        page.goto("/")
        wait_for_service_worker(page)
        manifest = cdp.send("Page.getAppManifest")
        installability = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    finally:
        context.close()
    assert [error["errorId"] for error in unlinked] == ["no-manifest"]
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert manifest["errors"] == []
    assert installability == []
    assert manifest["manifest"]["startUrl"].endswith("/rapport/ny")
