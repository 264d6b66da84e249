"""``python -m ivr``: the ``ivr`` command, for when console scripts are not on PATH."""

from ivr.cli import main

main()
