"""The web server: the Flask app factory, the Twilio webhooks, TwiML, the signature check,
the registry of lines kept current off the request path, the last good store, the call log,
the journal's adapter (``journaling``) and gunicorn.

It imports ``ivr.core``, ``ivr.menufile`` and ``ivr.journal``; never the simulator, the
console or the admin CLI. Everything outside this package comes in through
``ivr.server.app``.
"""
