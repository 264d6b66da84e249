"""Hearing a line: prompts spoken aloud or written as WAV files by espeak-ng.

``ivr-sim --speak`` and ``--speak-to DIR`` use it, in the language of each ``<Say>``. It is
espeak-ng's voice, not Polly's: the words and their order are what a caller hears, the
pace is espeak-ng's (the pace ``core.speechtime`` was fitted to). Nothing here knows
TwiML or the call: the simulator passes text and a language tag.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from ivr.core import speechtime
from ivr.core.errors import IvrError

ESPEAK = "espeak-ng"
_WAV_HEADER = 44
"""Bytes of a WAV file's header: a file no longer than it holds no sound."""
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
    """Write ``text`` spoken in ``language`` to the WAV file ``path``.

    espeak-ng exits 0 even when it could not write, so it writes a new file beside ``path``
    that must then hold sound; renaming it over ``path`` replaces a link there rather than
    writing through it.
    """
    handle, name = tempfile.mkstemp(prefix=".speaking-", suffix=".wav", dir=path.parent)
    os.close(handle)
    written = Path(name)
    try:
        _espeak(language, text, "-w", str(written))
        if written.stat().st_size <= _WAV_HEADER:
            raise NoSpeech(f"{ESPEAK} wrote no sound to {path}")
        written.replace(path)
    finally:
        written.unlink(missing_ok=True)


def prepare(folder: Path) -> None:
    """Make ``folder`` ready before a call: created, writable (a file is written and removed),
    and rid of the NNN.wav files of an earlier call, which this one's would mix with.

    Raises OSError, naming the folder, when it cannot be.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(prefix=".speaking-", dir=folder):
        pass
    for old in folder.glob("[0-9][0-9][0-9].wav"):
        old.unlink()


def write_steps(timeline: list[dict], folder: Path | None) -> list[Path]:
    """One WAV file per thing said in a call's timeline (001.wav, 002.wav, …), in order, in
    ``folder`` (``prepare``d) if one is given; a recording whose words the line does not
    give is passed over."""
    written: list[Path] = []
    if folder is None:
        return written
    for entry in (e for e in timeline if e["kind"] == "say" and e["language"]):
        path = folder / f"{len(written) + 1:03d}.wav"
        write_wav(entry["text"], entry["language"], path)
        whole = speechtime.seconds(entry["text"], entry["language"])
        if "play" not in entry and entry["seconds"] < whole:
            _keep(path, entry["seconds"] / whole)
        written.append(path)
    return written


def _keep(path: Path, part: float) -> None:
    """Cut the WAV at ``path`` to the first ``part`` of it: what was heard before a key
    stopped the speech (the timeline's share of the estimate, applied to espeak-ng's pace)."""
    with wave.open(str(path)) as audio:
        params, frames = audio.getparams(), audio.readframes(audio.getnframes())
    keep = int(params.nframes * part) * params.sampwidth * params.nchannels
    with wave.open(str(path), "wb") as audio:
        audio.setparams(params)
        audio.writeframes(frames[:keep])


def wav_seconds(path: Path) -> float:
    """How long a WAV file plays, in seconds."""
    with wave.open(str(path)) as audio:
        return audio.getnframes() / audio.getframerate()
