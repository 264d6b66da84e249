"""The pure core: the node types, the model of a line, opening hours, the engine that
decides each step of a call, the call state, the words read aloud, how long speech takes
and how long a line keeps its callers (``speechtime``, ``calltime``), and the one error
family (``errors``).

Everything here is a pure function of its arguments. It never imports flask, werkzeug,
twilio, yaml, click, gunicorn, sqlalchemy or alembic, never touches files or the network
and never reads the clock (time is an argument). Every other layer imports it; it imports
none of them.
"""
