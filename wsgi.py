"""The WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

from est_pwa.app import create_app

app = create_app()
