"""ivr: phone menus written as YAML, served as Twilio voice webhooks.

The package is built in rooms, each using only those below it (ARCHITECTURE.md draws
them): ``core`` (the pure model and engine), ``menufile`` (reading menu files), ``views``
and ``journal`` (what is drawn and what is kept), ``server`` (the webhooks and their app
factory), ``sim`` (a Twilio-like caller), ``console`` and ``admin`` (the browser and the
``ivr`` commands).
"""

__version__ = "0.1.0"
