"""The simulated caller follows Twilio's TwiML rules, whatever server it talks to."""

import pytest

from ivr.sim.caller import Caller, scripted


class Scripted:
    """A server that answers fixed TwiML per path and records what it was sent."""

    base = "http://localhost"

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages, self.posts = pages, []

    def post(self, url, params):
        path = url[len(self.base):]
        self.posts.append((path, dict(params)))
        body = self.pages.get(path.split("?")[0])
        return (200, f"<Response>{body}</Response>") if body is not None else (404, "no")


def run(pages, presses=(), dial=()):
    server = Scripted(pages)
    call = Caller(server, to="+4619212000", keypad=scripted(list(presses)),
                  dial_statuses=list(dial)).run()
    return call, server.posts


def test_gather_without_input_falls_through_to_next_verb():
    """No input and no actionOnEmptyResult: Twilio runs the verb after the Gather."""
    call, posts = run({"/voice": '<Gather action="/g"><Say>Tryck</Say></Gather><Say>Hej</Say>'},
                      ["-"])
    assert call.said == ["Tryck", "Hej"] and call.ended == "hangup"
    assert [p for p, _ in posts] == ["/voice"]


def test_gather_action_on_empty_result_posts_empty_digits():
    """With actionOnEmptyResult=true, silence posts the action with empty Digits."""
    call, posts = run({"/voice": '<Gather action="/g" actionOnEmptyResult="true"/>',
                       "/g": "<Hangup/>"}, ["timeout"])
    assert posts[1] == ("/g", {**posts[0][1], "CallStatus": "in-progress", "Digits": ""})


def test_gather_posts_digits_up_to_num_digits_and_finish_key():
    """Digits stop at numDigits or the finish key, as Twilio collects them."""
    pages = {"/voice": '<Gather numDigits="2" action="/g"/>', "/g": "<Hangup/>"}
    assert run(pages, ["123"])[1][1][1]["Digits"] == "12"
    pages["/voice"] = '<Gather action="/g"/>'
    assert run(pages, ["45#6"])[1][1][1]["Digits"] == "45"


def test_gather_without_action_posts_to_the_current_url():
    """A Gather with no action posts back to the document's own URL."""
    _, posts = run({"/voice": "<Gather/>"}, ["1"])
    assert posts[1][0] == "/voice" and posts[1][1]["Digits"] == "1"


def test_script_running_out_at_a_gather_is_the_caller_hanging_up():
    """When the script has no more keys at a Gather, the caller hangs up."""
    call, _ = run({"/voice": "<Gather><Say>Tryck</Say></Gather>"})
    assert call.ended == "caller"


def test_dial_posts_outcome_to_action_in_order():
    """Each Dial takes the next --dial-status outcome, posted as DialCallStatus."""
    pages = {"/voice": '<Dial action="/d"><Number>+4619213606</Number></Dial>',
             "/d": "<Hangup/>"}
    call, posts = run(pages, dial=["busy"])
    assert call.dialed == ["+4619213606"]
    assert posts[1][1]["DialCallStatus"] == "busy"


def test_dial_without_action_continues_with_next_verb():
    """A Dial with no action goes on to the next verb, as Twilio does."""
    call, _ = run({"/voice": "<Dial>+4619213606</Dial><Say>Slut</Say>"})
    assert call.dialed == ["+4619213606"] and call.said == ["Slut"]


def test_redirect_is_followed_relative_to_the_current_url():
    """Redirect URLs resolve like a browser's, against the URL that returned them."""
    call, posts = run({"/voice": "<Redirect>/next?a=1</Redirect>", "/next": "<Say>Här</Say>"})
    assert posts[1][0] == "/next?a=1" and call.said == ["Här"]


@pytest.mark.parametrize(("pages", "problem"), [
    pytest.param({}, "no webhook there (404)", id="http-error"),
    pytest.param({"/voice": "<Play>x</Play><Enqueue>q</Enqueue>"}, "unsupported TwiML verb",
                 id="unknown-verb"),
    pytest.param({"/voice": "<Redirect>/voice</Redirect>"}, "more than 200 webhooks",
                 id="endless-redirects"),
])
def test_broken_servers_end_the_call_as_error(pages, problem):
    """Non-TwiML answers, unknown verbs and endless loops end the call with ended=error."""
    call, _ = run(pages)
    assert call.ended == "error" and problem in call.problem


def test_first_request_carries_twilio_parameters():
    """The incoming call posts the parameters Twilio sends for a new inbound call."""
    _, posts = run({"/voice": "<Hangup/>"})
    params = posts[0][1]
    assert params["CallSid"].startswith("CA") and len(params["CallSid"]) == 34
    assert params["AccountSid"].startswith("AC")
    assert (params["To"], params["CallStatus"], params["Direction"]) == (
        "+4619212000", "ringing", "inbound")


class Interrupted(Scripted):
    """A server the tester stops with Ctrl-C while its second answer is awaited."""

    def post(self, url, params):
        if self.posts:
            raise KeyboardInterrupt
        return super().post(url, params)


def test_ctrl_c_while_the_server_answers_is_a_hang_up_for_a_person_at_the_keys():
    """Interactive: Ctrl-C in flight ends the call as the caller hanging up, not a crash."""
    server = Interrupted({"/voice": '<Gather action="/g" numDigits="1"><Say>Tryck</Say>'
                                    "</Gather>"})
    call = Caller(server, to="+4619212000", keypad=lambda timeout: "1",
                  interactive=True).run()
    assert call.ended == "caller" and len(server.posts) == 1


def test_ctrl_c_stops_a_scripted_call():
    """Scripted (and explore): Ctrl-C is not swallowed, so the run stops."""
    server = Interrupted({"/voice": '<Gather action="/g" numDigits="1"><Say>Tryck</Say>'
                                    "</Gather>"})
    with pytest.raises(KeyboardInterrupt):
        Caller(server, to="+4619212000", keypad=scripted(["1"])).run()
