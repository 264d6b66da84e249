"""The pure core: the node types, the model of a line, opening hours, the engine that
decides each step of a call, the call state and the words read aloud.

Everything here is a pure function of its arguments. It never imports flask, werkzeug,
twilio, yaml, click, gunicorn or sqlalchemy, never touches files or the network and never
reads the clock (time is an argument). Every other layer imports it; it imports none of them.
"""
