"""Hearing a line: ivr-sim --speak and --speak-to with espeak-ng, in the line's language."""

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import MENUS, MINIMAL

from ivr.core import speechtime
from ivr.menufile.format import load_line
from ivr.sim import ivrsim, speak

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed: apt-get install espeak-ng")


def sim(*args):
    return CliRunner().invoke(ivrsim.main, ["--menus", str(MENUS), *args])


@needs_espeak
@pytest.mark.parametrize(("menu", "at", "keys"), [
    pytest.param("orebro-kommunsupport", "2026-11-24 19:30", ("3", "1"), id="sv"),
    pytest.param("brukarstotte", "2026-11-24 20:00", ("1",), id="nb"),
])
def test_speak_to_writes_a_wav_per_thing_said_as_long_as_the_estimate(tmp_path, menu, at,
                                                                     keys):
    """Each thing said becomes a WAV whose length is the estimate's within 25 %."""
    result = sim("--menu", menu, "--at", at, "--press", *keys, "--speak-to", str(tmp_path),
                 "--json")
    assert result.exit_code == 0
    said = [e for e in json.loads(result.stdout)["timeline"] if e["kind"] == "say"]
    wavs = sorted(tmp_path.glob("*.wav"))
    assert len(wavs) == len(said) > 1
    for wav, entry in zip(wavs, said, strict=True):
        estimate = speechtime.seconds(entry["text"], entry["language"])
        assert speak.wav_seconds(wav) == pytest.approx(estimate, rel=0.25), entry["text"]


def test_speak_says_each_prompt_in_the_lines_language(monkeypatch):
    """--speak hands each thing said, with its <Say> language, to espeak-ng as it comes."""
    heard = []
    monkeypatch.setattr(speak, "available", lambda: True)
    monkeypatch.setattr(speak, "say_aloud", lambda text, language: heard.append((text, language)))
    result = sim("--menu", "brukarstotte", "--at", "2026-11-24 20:00", "--press", "1",
                 "--speak")
    assert result.exit_code == 0
    assert heard[0] == ("Du har ringt brukarstøtte. Kritisk feil? Trykk 1.", "nb-NO")
    assert len(heard) == result.output.count(" « ")


def test_missing_espeak_is_a_clear_error(monkeypatch, tmp_path):
    """Without espeak-ng, --speak-to stops before the call and says how to install it."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = sim("--press", "4", "--speak-to", str(tmp_path))
    assert result.exit_code == 2
    assert "espeak-ng is not installed; install it with: apt-get install -y espeak-ng" \
        in result.output
    assert "Calling" not in result.output


def test_voices_follow_the_language_tag():
    """sv-SE speaks with espeak-ng's 'sv', Norwegian tags with 'nb'."""
    assert [speak.voice(t) for t in ("sv-SE", "nb-NO", "no", "nn-NO")] == ["sv", "nb", "nb",
                                                                           "nb"]


@pytest.mark.parametrize("where", ["file-parent", "proc"])
def test_a_folder_no_wav_can_be_written_to_stops_before_the_call(monkeypatch, tmp_path, where):
    """A --speak-to folder that cannot be made is one line and exit 2, before any call."""
    monkeypatch.setattr(speak, "available", lambda: True)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    folder = tmp_path / "a-file" / "wavs" if where == "file-parent" else "/proc/ivr-wavs"
    result = sim("--menu", "brukarstotte", "--press", "1", "--speak-to", str(folder))
    assert result.exit_code == 2
    assert f"cannot write WAV files into {folder}" in result.output
    assert "Traceback" not in result.output and "Calling" not in result.output


def test_a_wav_espeak_could_not_write_is_an_error(monkeypatch, tmp_path):
    """espeak-ng exiting 0 without writing sound is an error, not a silent empty folder."""
    monkeypatch.setattr(speak, "_espeak", lambda *args: None)
    with pytest.raises(speak.NoSpeech, match="wrote no sound"):
        speak.write_wav("Hej.", "sv-SE", tmp_path / "001.wav")
    assert list(tmp_path.iterdir()) == []


@needs_espeak
def test_speak_to_replaces_links_and_clears_an_earlier_calls_wavs(tmp_path):
    """001.wav linked elsewhere is replaced, not written through; an old 099.wav is removed."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "wavs"
    folder.mkdir()
    (folder / "001.wav").symlink_to(victim)
    (folder / "099.wav").write_bytes(b"old")
    result = sim("--menu", "brukarstotte", "--at", "2026-11-24 20:00", "--press", "1",
                 "--speak-to", str(folder))
    assert result.exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (folder / "001.wav").is_symlink() and speak.wav_seconds(folder / "001.wav") > 1
    assert not (folder / "099.wav").exists()
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{n:03d}.wav" for n in range(1, len(list(folder.iterdir())) + 1)]


@needs_espeak
def test_speech_cut_by_a_key_is_cut_in_its_wav(tmp_path):
    """A prompt a key stops two seconds in is a WAV of about those two seconds."""
    result = sim("--menu", "brukarstotte", "--at", "2026-11-24 20:00", "--press", "1@2",
                 "--speak-to", str(tmp_path), "--json")
    assert result.exit_code == 0
    said = [e for e in json.loads(result.stdout)["timeline"] if e["kind"] == "say"]
    assert said[0]["seconds"] == 2.0
    assert speak.wav_seconds(tmp_path / "001.wav") == pytest.approx(2.0, rel=0.25)


def test_a_recording_without_words_is_not_read_aloud(write_menu):
    """A recording given only seconds has no language, so neither --speak nor --speak-to
    reads its address aloud."""
    prompt = "    prompt:\n      - play: https://example.org/a.mp3\n        seconds: 3\n" \
             "      - Tryck 1.\n"
    line = load_line(write_menu(MINIMAL.replace("    prompt: Tryck 1.\n", prompt)))
    assert speechtime.recordings(line) == {"https://example.org/a.mp3":
                                           ("https://example.org/a.mp3", 3, "")}
