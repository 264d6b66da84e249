"""What import-linter cannot say about the layers: the engine never reads the clock."""

from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "ivr" / "core" / "engine.py"


def test_engine_never_reads_the_clock():
    """The engine takes 'now' as an argument: no datetime.now, time.time or date.today."""
    source = ENGINE.read_text()
    for call in ("now(", "today(", "time.time", "utcnow"):
        assert call not in source.replace("now: datetime", "")
