"""ivr: phone menus written as YAML, served as Twilio voice webhooks.

The package is layered (see README): ``model``, ``hours`` and ``engine`` are pure and know
nothing of Flask or twilio; ``twiml`` turns engine turns into TwiML; ``web`` serves them;
``sim`` is a Twilio-like caller that reaches the server only through HTTP or WSGI.
"""

__version__ = "0.1.0"
