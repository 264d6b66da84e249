"""The manual switch in the database, so several servers share it."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "switches",
        sa.Column("line", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("until", sa.String(40), nullable=False),
        sa.Column("since", sa.String(40)),
        sa.Column("say", sa.String(500)),
    )


def downgrade() -> None:
    op.drop_table("switches")
