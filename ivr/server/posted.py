"""What Twilio posts to a webhook, read once per request by the standard parser.

Twilio posts ``application/x-www-form-urlencoded`` bodies of one or two kilobytes: the
call's ids, its numbers and their places, the keys pressed. Werkzeug's ``request.form``
reads them with the standard library's ``parse_qsl`` too, but through a parser for every
kind of body, and measured in a served worker that machinery took more time than the
parsing itself. ``WebhookRequest`` reads the body (capped by ``MAX_CONTENT_LENGTH``, 413
beyond, as ``request.form`` is) and parses it with ``parse_qsl`` directly; a body of any
other type reads as no parameters. The signature check and the webhooks share the one read.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import parse_qsl

from flask import Request, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

URLENCODED = "application/x-www-form-urlencoded"


class WebhookRequest(Request):
    """Flask's request, with the posted parameters read once for every webhook's use."""

    @cached_property
    def posted_pairs(self) -> list[tuple[str, str]]:
        """The body's parameters in order, each as often as it came."""
        if not self.environ.get("CONTENT_TYPE", "").lower().startswith(URLENCODED):
            return []
        body = self.get_data()  # kept: request.form, if read later, parses it from there
        if not body:  # nothing posted, or request.form has read it already: ask that
            return list(self.form.items(multi=True))
        return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)

    @cached_property
    def posted(self) -> dict[str, str]:
        """The parameters as a plain dict: the first value of each, as ``form.to_dict()``."""
        return dict(reversed(self.posted_pairs))

    @cached_property
    def posted_multi(self) -> ImmutableMultiDict:
        """Every value of every parameter, as Twilio's signature covers them."""
        return ImmutableMultiDict(self.posted_pairs)


def form() -> dict[str, str]:
    """The current request's posted parameters, the first value of each."""
    return cast(WebhookRequest, request).posted


def every_value() -> ImmutableMultiDict:
    """The current request's posted parameters, every value of each."""
    return cast(WebhookRequest, request).posted_multi
