"""The simulator: a Twilio-like caller (``ivr-sim``), its keypad and the calendar walk.

It talks to the server as Twilio does, over HTTP or in-process WSGI: of the server it
imports only ``ivr.server.app``, of the core and the menu files only public functions, and
never the engine or the TwiML builder.
"""
