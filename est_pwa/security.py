"""Response headers that every page carries: the content security policy and its friends."""

from urllib.parse import urlsplit

from flask import Flask, current_app


def _tile_origin() -> str:
    # Leaflet's "{s}" subdomain placeholder becomes a CSP wildcard.
    parts = urlsplit(current_app.config["TILE_URL"].replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def content_security_policy() -> str:
    """Return the CSP: our own scripts and styles, no inline script, tiles from their host."""
    tiles = _tile_origin()
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: blob: {tiles}".strip(),
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def set_headers(response):
    """Add the security headers to ``response``."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self)")
    return response


def register(app: Flask) -> None:
    """Attach the headers to every response of ``app``."""
    app.after_request(set_headers)
