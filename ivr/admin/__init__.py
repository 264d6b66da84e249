"""The admin CLI (``ivr``): check, schema, graph, hours, switch, lines, explore, serve.

Thin commands over the layers below (core, menufile, server, sim); nothing imports it.
"""
