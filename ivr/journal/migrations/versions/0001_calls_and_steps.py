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
    op.create_index("ix_calls_line_day", "calls", ["line", "day"])
    op.create_index("ix_calls_line_caller", "calls", ["line", "caller", "started_ms"])
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
    op.create_index("ix_steps_line_day", "steps", ["line", "day"])
    op.create_index("ix_steps_at", "steps", ["at_ms"])


def downgrade() -> None:
    op.drop_table("steps")
    op.drop_table("calls")
