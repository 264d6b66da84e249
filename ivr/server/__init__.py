"""The web server: the Flask app factory, the Twilio webhooks, TwiML, the signature check,
the registry of lines kept current off the request path, the last good store, the call log
and gunicorn.

It imports ``ivr.core`` and ``ivr.menufile``; never the simulator or the admin CLI.
Everything outside this package comes in through ``ivr.server.app.create_app``.
"""
