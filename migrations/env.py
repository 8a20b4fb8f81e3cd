import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# The application configures logging itself (to stdout); only a bare Alembic run uses the
# ini file's logging setup.
if not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
    except AttributeError:
        return str(get_engine().url).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def render_item(type_, obj, autogen_context):
    """Render the app's column types as plain SQLAlchemy types, so migrations do not import
    application code: UTCDateTime is a timestamptz, a string enum is a VARCHAR."""
    import sqlalchemy as sa

    from app.database import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, sa.Enum) and not obj.native_enum:
        return f"sa.String(length={obj.length})"
    return False


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=get_metadata(),
        literal_binds=True,
        render_item=render_item,
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives
    conf_args.setdefault("render_item", render_item)
    from app.database import include_name

    conf_args.setdefault("include_name", include_name)

    connectable = get_engine()

    applied = []  # the migrations this run applies (none: nothing to check)

    def on_version_apply(**kwargs):
        applied.append(kwargs["step"])

    with connectable.connect() as connection, foreign_keys_off(connection):
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            on_version_apply=on_version_apply,
            **conf_args,
        )

        with context.begin_transaction():
            context.run_migrations()
            if applied:  # a whole-database check: seconds at 100,000 clients
                check_foreign_keys(connection)


@contextmanager
def foreign_keys_off(connection):
    """SQLite: foreign keys off while migrating, as SQLite's documented way of changing a
    table requires (make the new table, copy, drop the old one, rename). With them on, dropping
    a table that others reference deletes, or cascades to, every row that points at it. The
    pragma is a no-op inside a transaction, so it is set before the first one begins, on the
    driver's connection; it is switched back on before the connection returns to the pool."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def check_foreign_keys(connection):
    """SQLite: before the migrations commit, every reference must still hold (they were not
    checked while foreign keys were off); any that does not undoes the whole run."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left broken references (table, rowid, parent): {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
