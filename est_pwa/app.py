"""The application factory."""

import os

from flask import Flask

from . import config
from .extensions import babel, csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = os.path.dirname(__file__)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the EST app from the environment, or from ``test_config`` in tests."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder="../static",
        template_folder="../templates",
    )
    app.config.from_mapping(config.DEFAULTS)
    if test_config is None:
        app.config.from_mapping(config.from_environment(instance_path=app.instance_path))
    else:
        app.config.from_mapping(config.from_environment({}, app.instance_path))
        app.config.from_mapping(test_config)
    config.check(app.config)
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _import_models() -> None:
    # Every model must be known to the metadata before migrations compare against it.
    from .accounts import models as _accounts  # noqa: F401
    from .areas import models as _areas  # noqa: F401
    from .audit import models as _audit  # noqa: F401
    from .categories import models as _categories  # noqa: F401
    from .observations import models as _observations  # noqa: F401
    from .public import models as _public  # noqa: F401
    from .walks import models as _walks  # noqa: F401


def _init_extensions(app: Flask) -> None:
    from .i18n import select_locale

    _import_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(PACKAGE_DIR, "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(PACKAGE_DIR, "translations"),
    )


def _register_blueprints(app: Flask) -> None:
    from . import cli, errors, i18n, permissions, security
    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .areas.views import bp as areas_bp
    from .categories.views import bp as categories_bp
    from .core.views import bp as core_bp
    from .exports.views import bp as exports_bp
    from .maps.views import bp as maps_bp
    from .observations.api import bp as api_bp
    from .observations.views import bp as observations_bp
    from .privacy import api as privacy
    from .public.api import bp as public_api_bp
    from .public.views import bp as public_bp
    from .pwa.views import bp as pwa_bp
    from .review.views import bp as review_bp
    from .walks.views import bp as walks_bp
    from .weekly.views import bp as weekly_bp

    blueprints = (core_bp, accounts_bp, admin_bp, categories_bp, areas_bp, observations_bp, pwa_bp)
    blueprints += (walks_bp,)
    blueprints += (review_bp,)
    blueprints += (maps_bp,)
    blueprints += (weekly_bp,)
    blueprints += (exports_bp,)
    for blueprint in (*blueprints, public_bp, api_bp, public_api_bp, privacy.bp):
        app.register_blueprint(blueprint)
    errors.register(app)
    i18n.register(app)
    permissions.register(app)
    privacy.register(app)
    security.register(app)
    cli.register(app)
