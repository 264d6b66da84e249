"""The first journal: one row per call and one per webhook step."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "calls",
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
    )
    op.create_index("ix_calls_figures", "calls", [
        "line", "day", "test", "how", "error", "reached", "end_kind", "last_action", "closed",
        "ended_ms", "last_node", "first_ring_ms", "started_ms"])
    op.create_index("ix_calls_repeats", "calls", ["line", "caller", "started_ms", "day", "test"])
    op.create_index("ix_calls_line_started", "calls", ["line", "started_ms"])
    op.create_index("ix_calls_caller", "calls", ["caller"])
    op.create_index("ix_calls_started", "calls", ["started_ms"])
    op.create_table(
        "steps",
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
    )
    op.create_index("ix_steps_sid", "steps", ["sid"])
    op.create_index("ix_steps_figures", "steps", ["line", "event", "day", "test", "node",
                                                  "result", "detail", "number", "how"])
    op.create_index("ix_steps_at", "steps", ["at_ms"])


def downgrade() -> None:
    op.drop_table("steps")
    op.drop_table("calls")
