"""The journal's tables, how to reach its database, and bringing its schema up to date.

Two tables: ``calls`` (one row per call, a summary kept current as its steps arrive) and
``steps`` (one row per webhook). Times are UTC epoch milliseconds and each row also carries
its local day and hour of the week in the line's zone, so that every statistic is the same
plain SQL on SQLite and PostgreSQL, with no time zone arithmetic in the database. The
versions of this schema are Alembic migrations (``migrations/``); ``upgrade`` applies them.
Nothing here knows Flask or the engine.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import sqlalchemy as sa

from ivr.core.errors import IvrError
from ivr.journal.background import native
from ivr.journal.statedir import StateDir

log = logging.getLogger(__name__)

metadata = sa.MetaData()
Id = sa.String(64)
"""A CallSid, a line id or a node name."""

calls = sa.Table(
    "calls", metadata,
    sa.Column("sid", Id, primary_key=True),
    sa.Column("line", Id, nullable=False),
    sa.Column("caller", sa.String(32)),
    sa.Column("test", sa.Boolean, nullable=False),
    sa.Column("started_ms", sa.BigInteger, nullable=False),
    sa.Column("day", sa.String(10), nullable=False),
    sa.Column("how", sa.SmallInteger, nullable=False),
    sa.Column("last_ms", sa.BigInteger),
    sa.Column("last_node", Id),
    sa.Column("last_action", sa.String(8)),
    sa.Column("end_kind", sa.String(16)),
    sa.Column("reached", Id),
    sa.Column("closed", sa.Boolean, nullable=False),
    sa.Column("error", sa.Boolean, nullable=False),
    sa.Column("first_ring_ms", sa.BigInteger),
    sa.Column("ended_ms", sa.BigInteger),
    sa.Column("duration", sa.Integer),
    sa.Column("status", sa.String(16)),
    sa.Index("ix_calls_line_day", "line", "day"),
    sa.Index("ix_calls_repeats", "line", "caller", "started_ms"),
    sa.Index("ix_calls_line_started", "line", "started_ms"),
    sa.Index("ix_calls_caller", "caller"),
    sa.Index("ix_calls_started", "started_ms"),
)
"""``how`` is the local hour of the week (Monday 00–01 is 0); ``day`` the local date."""

steps = sa.Table(
    "steps", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("sid", Id, nullable=False),
    sa.Column("line", Id, nullable=False),
    sa.Column("at_ms", sa.BigInteger, nullable=False),
    sa.Column("day", sa.String(10), nullable=False),
    sa.Column("how", sa.SmallInteger, nullable=False),
    sa.Column("test", sa.Boolean, nullable=False),
    sa.Column("node", Id),
    sa.Column("event", sa.String(8), nullable=False),
    sa.Column("detail", sa.String(16)),
    sa.Column("result", sa.String(16)),
    sa.Column("number", sa.String(32)),
    sa.Column("to_node", Id),
    sa.Column("action", sa.String(8)),
    sa.Index("ix_steps_sid", "sid"),
    sa.Index("ix_steps_line_day", "line", "day"),
    sa.Index("ix_steps_at", "at_ms"),
)

tallies = sa.Table(
    "tallies", metadata,
    sa.Column("line", Id, primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("test", sa.Boolean, primary_key=True),
    sa.Column("kind", sa.String(8), primary_key=True),
    sa.Column("k1", Id, primary_key=True),
    sa.Column("k2", Id, primary_key=True),
    sa.Column("k3", sa.String(32), primary_key=True),
    sa.Column("k4", sa.String(16), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
)
"""Counts per line and settled day, written by ``tallies.roll_up``; nothing personal."""

rolled_up = sa.Table(
    "rolled_up", metadata,
    sa.Column("line", Id, primary_key=True),
    sa.Column("through", sa.String(10), nullable=False),
)
"""The last day of each line whose tallies are stored."""

switch_table = sa.Table(
    "switches", metadata,
    sa.Column("line", Id, primary_key=True),
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("until", sa.String(40), nullable=False),
    sa.Column("since", sa.String(40)),
    sa.Column("say", sa.String(500)),
)
"""The manual switch of each line, when servers share a database (ISO times, with offset)."""

claims_table = sa.Table(
    "claims", metadata,
    sa.Column("number", sa.String(32), primary_key=True),
    sa.Column("line", Id, nullable=False),
    sa.Column("since_ms", sa.BigInteger, nullable=False),
)
"""Which line claimed each number first, when servers share a database."""

def database_url(state: Path, given: str | None = None) -> str:
    """``given``, else ``IVR_DATABASE_URL``, else SQLite in the state directory."""
    url = given or os.environ.get("IVR_DATABASE_URL")
    return url or f"sqlite:///{StateDir(Path(state)).journal}"


def shown(url: str) -> str:
    """Where the journal is kept, as an admin may see it: the SQLite file, or the database
    URL with its password hidden."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"{parsed.database} (SQLite)"
    return parsed.render_as_string(hide_password=True)


def checked_url(url: str) -> str:
    """``url`` if it names a database the journal can use (SQLite, or PostgreSQL through
    psycopg 3), else ValueError saying how to write one; nothing is opened."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        parsed = None
    backend, _, driver = parsed.drivername.partition("+") if parsed else ("", "", "")
    if parsed and parsed.database and (backend == "sqlite" and driver in ("", "pysqlite")
                                       or backend in ("postgresql", "postgres")
                                       and driver in ("", "psycopg")):
        return url
    shown = parsed.render_as_string(hide_password=True) if parsed else repr(url)
    raise ValueError(f"{shown} is not a database the journal can use: write "
                     "postgresql://USER:PASSWORD@HOST/DATABASE, or sqlite:///PATH")


def not_yet_made(url: str) -> bool:
    """Whether ``url`` is an SQLite file not there yet: it holds nothing, and a command that
    only reads must not create it by connecting."""
    parsed = sa.make_url(url)
    return parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists()


def connect(url: str) -> sa.Engine:
    """An engine for ``url``: psycopg 3 for postgresql://, WAL and a busy timeout for SQLite."""
    for plain in ("postgresql://", "postgres://", "postgres+psycopg://"):
        if url.startswith(plain):
            url = "postgresql+psycopg://" + url[len(plain):]
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True, pool_size=2,
                                connect_args={"connect_timeout": 3})
    database = sa.make_url(url).database
    if database and database != ":memory:":
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IvrError(f"{url}: cannot create the folder {Path(database).parent} for "
                           f"the database ({exc.strerror or exc})") from None
    engine = sa.create_engine(url, connect_args={"timeout": 5})
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers (``ivr stats``) run while a server writes."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


HEAD = "0006"
"""The newest migration; a test keeps it equal to Alembic's head."""


def _version(engine: sa.Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
    except (sa.exc.ProgrammingError, sa.exc.OperationalError):
        return None  # no journal yet (or not reachable: Alembic will say so)


_ONE_AT_A_TIME = native("_thread", "allocate_lock")()
"""Alembic runs a migration while importing it: two threads at once would deadlock."""


def upgrade(engine: sa.Engine) -> None:
    """Create the tables, or bring them to the newest version (Alembic's ``upgrade head``).

    A journal already at ``HEAD`` costs one query, without loading Alembic at all. One
    upgrade at a time: per process a lock, and on PostgreSQL an advisory lock, so servers
    starting together on an empty database do not race to create it.
    """
    if _version(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    with _ONE_AT_A_TIME, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(4887)"))
        config = Config()
        config.set_main_option("script_location", "ivr.journal:migrations")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


# The console's sign-in store (``admin.console.signins``), shared by servers on one database.
signouts = sa.Table(
    "console_signouts", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("mark", sa.String(32), nullable=False),
)
"""One random mark per name, changed by each sign-out: older sessions are refused."""

throttle = sa.Table(
    "console_throttle", metadata,
    sa.Column("bucket", sa.String(80), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_ms", sa.BigInteger, nullable=False),
)
"""Recent failed sign-ins per bucket (a name, known or not, or a name from its device);
``last_ms``: when the bucket's latest attempt began (UTC epoch milliseconds)."""
