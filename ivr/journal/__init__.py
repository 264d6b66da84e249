"""What the servers keep: the call journal, the shared switch and number claims, the
console's sign-in store and secret, and the state directory's layout.

Framework-free (SQLAlchemy and the standard library; no Flask, werkzeug or click), so the
server, the admin CLI and the console use one copy. ``schema`` (tables, Alembic migrations),
``entries`` (what a webhook saw, as rows), ``merge`` (a call's rows combined in any order),
``writer`` (the background thread) with ``batches`` and ``unwritten``, ``privacy`` (hashed
numbers, retention, forget), ``outcome``, ``stats`` and ``history`` (queries),
``statstext`` (the figures as terminal text), ``switchboard`` and ``claims`` (what servers
sharing a database agree on), ``statedir`` (where each server keeps its own) and
``background`` (the thread that keeps them current). The web layer's adapter is
``ivr.server.journaling``; the CLI's commands are ``ivr.admin.journalcommands``.
"""
