"""What makes EST an installable, offline-first app: manifest, service worker, offline page."""
