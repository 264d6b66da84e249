"""What Twilio posts to a webhook, and its action URL's query, read once per request by the
standard parser.

Twilio posts ``application/x-www-form-urlencoded`` bodies of one or two kilobytes: the
call's ids, its numbers and their places, the keys pressed. Werkzeug's ``request.form``
reads them with the standard library's ``parse_qsl`` too, but through a parser for every
kind of body, and measured in a served worker that machinery took more time than the
parsing itself. ``WebhookRequest`` reads the body (capped by ``MAX_CONTENT_LENGTH``, 413
beyond, as ``request.form`` is, and a chunked body too) and parses it with ``parse_qsl``
directly; a body of any other type reads as no parameters. A body that cannot be read (a
broken chunk, a client gone) or holds too many parameters is a 400, before the signature
check: never a failed step of a call. The signature check and the webhooks share the read.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import parse_qsl

from flask import Request, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge
from werkzeug.utils import cached_property

URLENCODED = "application/x-www-form-urlencoded"
MAX_FIELDS = 200
"""Parameters one body may hold. Twilio posts about thirty; a body of thousands of empty
ones costs a worker milliseconds to parse and to check the signature of, so it is refused
(400) before either."""


class WebhookRequest(Request):
    """Flask's request, with the posted parameters read once for every webhook's use."""

    @cached_property
    def posted_pairs(self) -> list[tuple[str, str]]:
        """The body's parameters in order, each as often as it came."""
        if (self.content_length or 0) > (self.max_content_length or float("inf")):
            raise RequestEntityTooLarge()  # whatever its type
        if not self.environ.get("CONTENT_TYPE", "").lower().startswith(URLENCODED):
            return []
        try:
            body = self.get_data()  # kept: request.form, if read later, parses it from there
        except HTTPException:
            raise  # over MAX_CONTENT_LENGTH: 413
        except Exception as exc:  # a broken chunk, a client gone or too slow: no webhook
            raise BadRequest("the request's body could not be read") from exc
        if (self.content_length is None and self.max_content_length is not None
                and len(body) >= self.max_content_length):
            raise RequestEntityTooLarge()  # a chunked body, cut at the cap: never act on it
        if not body:  # nothing posted, or request.form has read it already: ask that
            return list(self.form.items(multi=True))
        try:
            return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True,
                             max_num_fields=MAX_FIELDS)
        except ValueError:
            raise BadRequest(f"more than {MAX_FIELDS} parameters") from None

    @cached_property
    def query(self) -> dict[str, str]:
        """The action URL's query (the line, node and counters) as a plain dict, the first
        value of each, read as ``request.args`` reads it but without its machinery."""
        raw = self.environ.get("QUERY_STRING", "").encode("latin-1", "replace")
        try:
            return dict(reversed(parse_qsl(raw.decode("utf-8", "replace"),
                                           keep_blank_values=True, max_num_fields=MAX_FIELDS)))
        except ValueError:
            raise BadRequest(f"more than {MAX_FIELDS} query parameters") from None

    @cached_property
    def posted(self) -> dict[str, str]:
        """The parameters as a plain dict: the first value of each, as ``form.to_dict()``."""
        return dict(reversed(self.posted_pairs))

    @cached_property
    def posted_multi(self) -> ImmutableMultiDict:
        """Every value of every parameter, as Twilio's signature covers them."""
        return ImmutableMultiDict(self.posted_pairs)


def query() -> dict[str, str]:
    """The current request's query parameters, the first value of each."""
    return cast(WebhookRequest, request).query


def form() -> dict[str, str]:
    """The current request's posted parameters, the first value of each."""
    return cast(WebhookRequest, request).posted


def every_value() -> ImmutableMultiDict:
    """The current request's posted parameters, every value of each."""
    return cast(WebhookRequest, request).posted_multi
