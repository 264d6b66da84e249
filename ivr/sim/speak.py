"""Hearing a line: prompts spoken aloud or written as WAV files by espeak-ng.

``ivr-sim --speak`` and ``--speak-to DIR`` use it, in the language of each ``<Say>``. It is
espeak-ng's voice, not Polly's: the words and their order are what a caller hears, the
pace is espeak-ng's (the pace ``core.speechtime`` was fitted to). Nothing here knows
TwiML or the call: the simulator passes text and a language tag.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

from ivr.core.errors import IvrError

ESPEAK = "espeak-ng"
_VOICES = {"no": "nb", "nn": "nb"}
"""espeak-ng's voice for a language where its name is not the language part of the tag."""


class NoSpeech(IvrError):
    """espeak-ng is missing or failed."""


def voice(language: str) -> str:
    """espeak-ng's voice for a language tag: 'sv' for 'sv-SE', 'nb' for 'nb-NO' or 'no'."""
    base = language.split("-")[0].lower()
    return _VOICES.get(base, base)


MISSING = f"{ESPEAK} is not installed; install it with: apt-get install -y espeak-ng"


def available() -> bool:
    """Whether espeak-ng is installed."""
    return shutil.which(ESPEAK) is not None


def require() -> str:
    """The path of espeak-ng, or NoSpeech saying how to install it."""
    program = shutil.which(ESPEAK)
    if program is None:
        raise NoSpeech(MISSING)
    return program


def _espeak(language: str, text: str, *options: str) -> None:
    program = require()
    try:
        subprocess.run([program, "-v", voice(language), *options, "--", text], check=True,
                       capture_output=True, timeout=120)
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode(errors="replace").strip()
        raise NoSpeech(f"{ESPEAK} could not speak {language}: {detail}") from None
    except subprocess.TimeoutExpired:
        raise NoSpeech(f"{ESPEAK} did not finish speaking in 120 s") from None


def say_aloud(text: str, language: str) -> None:
    """Speak ``text`` on this machine's sound output, waiting until it is said."""
    _espeak(language, text)


def write_wav(text: str, language: str, path: Path) -> None:
    """Write ``text`` spoken in ``language`` to the WAV file ``path``."""
    _espeak(language, text, "-w", str(path))


def write_steps(timeline: list[dict], folder: Path | None) -> list[Path]:
    """One WAV file per thing said in a call's timeline (001.wav, 002.wav, …), in order, in
    ``folder`` if one is given; a recording whose words the line does not give is passed over."""
    written: list[Path] = []
    if folder is None:
        return written
    folder.mkdir(parents=True, exist_ok=True)
    for entry in (e for e in timeline if e["kind"] == "say" and e["language"]):
        path = folder / f"{len(written) + 1:03d}.wav"
        write_wav(entry["text"], entry["language"], path)
        written.append(path)
    return written


def wav_seconds(path: Path) -> float:
    """How long a WAV file plays, in seconds."""
    with wave.open(str(path)) as audio:
        return audio.getnframes() / audio.getframerate()
