"""``python -m ivr``: the ``ivr`` command, for when console scripts are not on PATH."""

from ivr.admin.commands import main

main()
