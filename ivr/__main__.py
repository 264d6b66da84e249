"""``python -m ivr``: the ``ivr`` command, for when console scripts are not on PATH."""

from ivr.admin.cli import main

main()
