"""Daily tallies, so statistics over a year read counts instead of every call."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "tallies",
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
    op.create_table(
        "rolled_up",
        sa.Column("line", Id, primary_key=True),
        sa.Column("through", sa.String(10), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rolled_up")
    op.drop_table("tallies")
