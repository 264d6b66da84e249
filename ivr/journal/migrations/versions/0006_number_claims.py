"""Which line claimed each number first, so that every server sharing the database gives a
number claimed by two files to the same line."""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("number", sa.String(32), primary_key=True),
        sa.Column("line", sa.String(64), nullable=False),
        sa.Column("since_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("claims")
