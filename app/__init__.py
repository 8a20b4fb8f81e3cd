"""Gezel: case management for trajectory companions. The application factory."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSTANCE_DIR, Config, get_config


def create_app(config: str | type[Config] | None = None, **overrides: Any) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    config_class = config if isinstance(config, type) else get_config(config)
    app.config.from_object(config_class)
    if config_class.ENV_NAME != "testing":
        app.config.from_pyfile("config.py", silent=True)  # optional instance/config.py
    app.config.update(overrides)

    configure_logging(app)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from app.converters import IdConverter

    app.url_map.converters["int"] = IdConverter  # every <int:...> in a URL is a bounded id
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_commands(app)
    if app.config["STARTUP_CHECKS"]:
        from app.startup import run_startup_checks

        run_startup_checks(app)
    return app


def configure_logging(app: Flask) -> None:
    """Log to stdout, where gunicorn, systemd or a container runtime collect it."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s"))
    root = logging.getLogger()
    if not any(getattr(h, "_gezel", False) for h in root.handlers):
        handler._gezel = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (complete metadata)
    from app.database import configure_sqlite, postgres_engine_options
    from app.extensions import babel, csrf, db, login_manager, migrate
    from app.i18n import select_locale, select_timezone

    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = postgres_engine_options(
            app.config["SQLALCHEMY_ENGINE_OPTIONS"], app.config["POSTGRES_SESSION_SETTINGS"]
        )
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(
                db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["SQLITE_MMAP_BYTES"]
            )
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    from app.auth import login as login_setup

    login_setup.init_login(app, login_manager)


def register_blueprints(app: Flask) -> None:
    from app.activation import bp as activation_bp
    from app.admin import bp as admin_bp
    from app.agenda import bp as agenda_bp
    from app.auth import bp as auth_bp
    from app.checkins import bp as checkins_bp
    from app.clientlists import bp as clientlists_bp
    from app.clients import bp as clients_bp
    from app.contacts import bp as contacts_bp
    from app.dashboards import bp as dashboards_bp
    from app.documents import bp as documents_bp
    from app.groups import bp as groups_bp
    from app.main import bp as main_bp
    from app.measurements import bp as measurements_bp
    from app.offline import bp as offline_bp
    from app.organisations import bp as organisations_bp
    from app.partners import bp as partners_bp
    from app.plans import bp as plans_bp
    from app.privacy import bp as privacy_bp
    from app.referrals import bp as referrals_bp
    from app.reminders import bp as reminders_bp
    from app.timeline import bp as timeline_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(clients_bp)
    app.register_blueprint(clientlists_bp)
    app.register_blueprint(contacts_bp)
    app.register_blueprint(checkins_bp)
    app.register_blueprint(timeline_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(referrals_bp)
    app.register_blueprint(dashboards_bp)

    from app import api

    api.init_app(app)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(organisations_bp, url_prefix="/organisations")
    app.register_blueprint(measurements_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(groups_bp, url_prefix="/groups")
    app.register_blueprint(activation_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(partners_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(agenda_bp, url_prefix="/agenda")
    app.register_blueprint(documents_bp)


def register_request_hooks(app: Flask) -> None:
    import sqlalchemy as sa

    from app import forms, labels, navigation, security, session_cookie, urls
    from app.database import is_lock_timeout
    from app.extensions import db
    from app.i18n import register_template_helpers
    from app.main.errors import busy_response

    security.init_app(app)
    session_cookie.init_app(app)
    navigation.init_app(app)
    labels.init_app(app)
    register_template_helpers(app)
    urls.init_app(app)
    forms.init_app(app)

    @app.after_request
    def commit_or_roll_back(response):
        """One transaction per request: commit what a successful request changed; a refused
        request (4xx/5xx) changes nothing unless its view committed on purpose. The commit
        runs before the response leaves: a page whose audit event could not be stored (the
        database stayed busy) is not shown."""
        if db.session.registry.has():
            if response.status_code < 400:
                try:
                    db.session.commit()
                except sa.exc.OperationalError as error:
                    if not is_lock_timeout(error):
                        raise
                    return busy_response()
            else:
                db.session.rollback()
        return response


def register_errorhandlers(app: Flask) -> None:
    from app.main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.admin.cli import partnership_cli
    from app.auth.cli import users_cli
    from app.backup.cli import backup_cli
    from app.contacts.cli import notes_cli
    from app.dashboards.cli import export_cli
    from app.demo.cli import demo_cli
    from app.mail.cli import mail_cli
    from app.measurements.cli import instruments_cli
    from app.organisations.cli import socialmap_cli
    from app.privacy.cli import retention_cli
    from app.reminders.cli import reminders_cli
    from app.scheduler.cli import scheduler_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(partnership_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(socialmap_cli)
    app.cli.add_command(instruments_cli)
    app.cli.add_command(notes_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(mail_cli)
