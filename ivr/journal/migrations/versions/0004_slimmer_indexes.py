"""Slimmer indexes: the figures come from the daily tallies now, so the wide covering
indexes that served them cost every write and no longer pay; counting the days not yet
rolled up needs only the line and day."""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_calls_figures", "calls")
    op.drop_index("ix_calls_repeats", "calls")
    op.drop_index("ix_steps_figures", "steps")
    op.create_index("ix_calls_line_day", "calls", ["line", "day"])
    op.create_index("ix_calls_repeats", "calls", ["line", "caller", "started_ms"])
    op.create_index("ix_steps_line_day", "steps", ["line", "day"])


def downgrade() -> None:
    op.drop_index("ix_steps_line_day", "steps")
    op.drop_index("ix_calls_repeats", "calls")
    op.drop_index("ix_calls_line_day", "calls")
    op.create_index("ix_steps_figures", "steps", ["line", "event", "day", "test", "node",
                                                  "result", "detail", "number", "how"])
    op.create_index("ix_calls_repeats", "calls", ["line", "caller", "started_ms", "day", "test"])
    op.create_index("ix_calls_figures", "calls", [
        "line", "day", "test", "how", "error", "reached", "end_kind", "last_action", "closed",
        "ended_ms", "last_node", "first_ring_ms", "started_ms"])
