"""quizapp: reading-comprehension quizzes and flashcards on news passages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .config import load_or_create_secret_key, settings_from_environment
from .extensions import csrf, db, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, commands. No I/O beyond the secret key."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings_from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(Path(app.instance_path))
    app.config["QUIZAPP_CONTENT_DIR"] = Path(app.config["QUIZAPP_CONTENT_DIR"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config["QUIZAPP_TRUSTED_PROXIES"]:
        hops = app.config["QUIZAPP_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.url_map.converters["int"] = DatabaseId
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


class DatabaseId(IntegerConverter):
    """An <int:...> URL part that fits a database id, so a 30-digit id is a 404, not an overflow."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers the tables with the metadata)
    from .database import configure_database

    db.init_app(app)
    migrations = Path(__file__).resolve().parent.parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        configure_database(db.engine)

    @app.teardown_request
    def _end_transaction(_error: BaseException | None) -> None:
        # Every request ends its transaction, even when the app context outlives it
        # (as in tests), so no lock is held between requests.
        db.session.remove()


def register_blueprints(app: Flask) -> None:
    from .auth.identity import init_identity
    from .auth.routes import blueprint as auth
    from .errors import register_error_pages
    from .flashcards.routes import blueprint as flashcards
    from .instructor import dashboard  # noqa: F401  (adds the report pages to the instructor blueprint)
    from .instructor.routes import blueprint as instructor
    from .quiz.routes import blueprint as quiz
    from .reading.routes import blueprint as reading
    from .security import register_security_headers
    from .student.routes import blueprint as student

    for blueprint in (reading, auth, student, quiz, flashcards, instructor):
        app.register_blueprint(blueprint)
    init_identity(app)
    register_error_pages(app)
    register_security_headers(app)


def register_commands(app: Flask) -> None:
    from .cli import class_group, content_group, export_group, instructor_group

    for command in (content_group, instructor_group, class_group, export_group):
        app.cli.add_command(command)
