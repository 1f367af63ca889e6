"""The web app manifest, the service worker with its precache list, and the offline page."""

import hashlib
import json
import os

from flask import Blueprint, current_app, jsonify, render_template, url_for

bp = Blueprint("pwa", __name__)

SERVICE_WORKER = os.path.join(os.path.dirname(__file__), "..", "..", "service_worker", "sw.js")
# Static files the app shell needs offline, relative to the static folder.
SHELL_FILES = (
    "css/est.css",
    "js/theme.js",
    "js/outbox.js",
    "js/sync.js",
    "js/capture.js",
    "js/place.js",
    "js/photos.js",
    "js/public_report.js",
    "js/print.js",
    "js/pii_warning.js",
    "js/walk_map.js",
    "js/my_reports.js",
    "js/area_map.js",
    "js/map_base.js",
    "img/icons.svg",
    "img/icon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
    "img/icon-maskable-512.png",
    "img/favicon.png",
    "vendor/leaflet-1.9.4/leaflet.css",
    "vendor/leaflet-1.9.4/leaflet.js",
    "vendor/leaflet-1.9.4/images/marker-icon.png",
    "vendor/leaflet-1.9.4/images/marker-icon-2x.png",
    "vendor/leaflet-1.9.4/images/marker-shadow.png",
    "vendor/leaflet-1.9.4/images/layers.png",
    "vendor/leaflet-1.9.4/images/layers-2x.png",
)
# Pages cached at install when the user may open them (a redirect to log-in is not kept).
SHELL_PAGES = ("pwa.offline", "observations.capture", "observations.mine", "public.report")


def shell_version(worker_source: bytes) -> str:
    """Return a version made from the content of every shell file and the worker itself."""
    digest = hashlib.sha256(worker_source)
    for name in SHELL_FILES:
        with open(os.path.join(current_app.static_folder, name), "rb") as handle:
            digest.update(name.encode() + b"\0" + handle.read())
    return digest.hexdigest()[:16]


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker with its precache manifest, for scope ``/``."""
    with open(SERVICE_WORKER, "rb") as handle:
        source = handle.read()
    shell = {
        "version": shell_version(source),
        "files": [url_for("static", filename=name) for name in SHELL_FILES],
        "pages": [url_for(endpoint) for endpoint in SHELL_PAGES],
        "tiles": current_app.config["TILE_URL"],
    }
    body = f"self.EST_SHELL = {json.dumps(shell)};\n".encode() + source
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """Serve the web app manifest in the municipality's colours."""
    name = current_app.config["MUNICIPALITY_NAME"]
    colour = current_app.config["MUNICIPALITY_COLOUR"]
    icons = [
        {"src": url_for("static", filename="img/icon-192.png"), "sizes": "192x192",
         "type": "image/png", "purpose": "any"},
        {"src": url_for("static", filename="img/icon-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "any"},
        {"src": url_for("static", filename="img/icon-maskable-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "maskable"},
    ]  # fmt: skip
    response = jsonify(
        name=f"EST – trygghetsrapporter {name}",
        short_name="EST",
        description="Rapportera det som skapar otrygghet i offentlig miljö.",
        lang="sv",
        dir="ltr",
        id="/",
        start_url=url_for("observations.capture"),
        scope="/",
        display="standalone",
        orientation="portrait",
        theme_color=colour,
        background_color="#ffffff",
        icons=icons,
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/offline")
def offline():
    """Tell the user the page is not available offline, and what still works."""
    return render_template("pwa/offline.html")
