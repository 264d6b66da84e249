"""The console's sign-outs and sign-in limits, shared by every server on the database."""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_signouts",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("mark", sa.String(32), nullable=False),
    )
    op.create_table(
        "console_throttle",
        sa.Column("bucket", sa.String(80), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("console_throttle")
    op.drop_table("console_signouts")
