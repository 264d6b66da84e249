"""What a line says about itself, drawn for people: its week of hours as a table, its
call flow as a graph, and the facts ``ivr lines`` prints about each line.

Pure functions over the loaded model (``ivr.core``) and an injected instant; the admin CLI
prints them and the console renders them, so the two never tell an owner different things.
"""
