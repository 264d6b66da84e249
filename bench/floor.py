"""The floor of this stack: a minimal Flask app answering a fixed <Gather><Say> TwiML.

Served by ``ivr.serve`` with the very gunicorn settings ``ivr serve`` uses, so the benchmark
compares ivr with the least any Flask + twilio IVR can do per request.

    python bench/floor.py --port 5001 --workers 2
"""

from __future__ import annotations

import argparse

from flask import Flask
from twilio.twiml.voice_response import VoiceResponse

from ivr.server.gunicorn import Server, options


def create_floor() -> Flask:
    app = Flask(__name__)

    @app.post("/<path:anything>")
    def answer(anything: str):
        response = VoiceResponse()
        with response.gather(input="dtmf", num_digits=1, timeout=6, action="/gather",
                             method="POST") as gather:
            gather.say("Välkommen. Tryck 1.", voice="Polly.Astrid", language="sv-SE")
        response.redirect("/gather", method="POST")
        return str(response), 200, {"Content-Type": "text/xml; charset=utf-8"}

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    Server(create_floor, options(host="127.0.0.1", port=args.port, workers=args.workers)).run()
