"""The call journal: what callers did, kept in SQLite or PostgreSQL for statistics.

``hooks`` is what the webhooks call (and all the web layer needs); ``schema`` (tables,
Alembic migrations), ``entries`` (what a webhook saw, as rows), ``merge`` (a call's rows
combined in any order), ``writer`` (the background thread), ``privacy`` (hashed numbers,
retention, forget), ``outcome``, ``stats`` and ``history`` (queries), ``report`` (text) and
``commands`` (the CLI) hold the rest. Nothing in the core imports this package.
"""
