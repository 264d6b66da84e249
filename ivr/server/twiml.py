"""Engine turns as TwiML, built with twilio's ``VoiceResponse`` (never by string).

The one module that imports ``twilio.twiml``; each engine action is one exhaustive
``match`` arm, so an action it forgets is a type error, never a silently dropped verb.
Its promise: every answer is a whole ``<Response>``; a ``<Gather>`` holds only ``<Say>``
and is always followed by a ``<Redirect>`` to the same action URL, so silence reaches the
engine as an event (Twilio falls through to the next verb when nobody presses a key).
"""

from __future__ import annotations

from functools import lru_cache
from typing import assert_never
from urllib.parse import urlencode

from twilio.twiml.voice_response import VoiceResponse

from ivr.core.engine import Ask, Connect, End, Speak, Turn
from ivr.core.state import State


def action_url(root: str, endpoint: str, line_id: str, state: State) -> str:
    """Where Twilio posts the next event: the state rides in the query string."""
    query = {"line": line_id, **state.to_query()}
    return f"{root}/{endpoint}?{urlencode(query)}"


@lru_cache(maxsize=4096)
def render(turn: Turn, *, line_id: str, voice: str, language: str, root: str = "") -> str:
    """The TwiML document for one turn (pure, so identical turns are rendered once)."""
    response = VoiceResponse()
    for action in turn.actions:
        match action:
            case Speak() if action.url:
                response.play(action.url)
            case Speak():
                response.say(action.text, voice=voice, language=language)
            case Ask():
                url = action_url(root, "gather", line_id, action.state)
                with response.gather(input="dtmf", num_digits=1, timeout=action.timeout,
                                     action=url, method="POST") as gather:
                    for said in action.prompt:
                        if said.url:
                            gather.play(said.url)
                        else:
                            gather.say(said.text, voice=voice, language=language)
                response.redirect(url, method="POST")
            case Connect():
                dial = response.dial(action=action_url(root, "dial", line_id, action.state),
                                     method="POST", timeout=action.timeout)
                dial.number(action.number)
            case End():
                response.hangup()
            case _:
                assert_never(action)
    return str(response)


def say_and_hang_up(texts: list[tuple[str, str, str]]) -> str:
    """A last word and a hangup: each item is (text, voice, language)."""
    response = VoiceResponse()
    for text, voice, language in texts:
        response.say(text, voice=voice, language=language)
    response.hangup()
    return str(response)


def empty() -> str:
    """An empty response, for callbacks that need no instructions."""
    return str(VoiceResponse())
