"""The admin CLI (``ivr``): check, schema, graph, hours, switch, lines, explore, report,
serve, and the journal's commands.

Thin commands over the layers below (core, menufile, views, journal, server, sim, console);
nothing imports it.
"""
