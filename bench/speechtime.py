"""Calibration of the speech-time estimate against espeak-ng, per language.

Synthesises every paragraph of the shipped lines (``core.calltime.every_paragraph``) with
espeak-ng at its default speed in the line's language, and prints, per language: how many
prompts, their total seconds synthesised and estimated, the mean and largest error of the
estimate per prompt, and the rates a least-squares fit of these durations gives (the rates
in ``core.speechtime.RATES`` came from this fit).

    python bench/speechtime.py
"""

from __future__ import annotations

import statistics
import tempfile
from datetime import date
from pathlib import Path

from ivr.core import speechtime
from ivr.core.calltime import every_paragraph
from ivr.menufile.format import load_line
from ivr.sim import speak

MENUS = Path(__file__).resolve().parent.parent / "menus"


def measured() -> dict[str, list[tuple[str, float]]]:
    """Each shipped paragraph with its synthesised seconds, by language tag."""
    found: dict[str, list[tuple[str, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "prompt.wav"
        for path in sorted(MENUS.glob("*.yaml")):
            line = load_line(path)
            for text in every_paragraph(line, date(2026, 11, 23)):
                speak.write_wav(text, line.language, wav)
                found.setdefault(line.language, []).append((text, speak.wav_seconds(wav)))
    return found


def fit(rows: list[tuple[str, float]]) -> list[float]:
    """Least-squares seconds per syllable, digit and pause (normal equations, 3×3)."""
    xs = [speechtime.counts(text) for text, _ in rows]
    a = [[sum(x[i] * x[j] for x in xs) for j in range(3)] for i in range(3)]
    b = [sum(x[i] * seconds for x, (_, seconds) in zip(xs, rows, strict=True))
         for i in range(3)]
    for col in range(3):
        for row in range(col + 1, 3):
            factor = a[row][col] / a[col][col]
            a[row] = [v - factor * w for v, w in zip(a[row], a[col], strict=True)]
            b[row] -= factor * b[col]
    rates = [0.0, 0.0, 0.0]
    for i in (2, 1, 0):
        rates[i] = (b[i] - sum(a[i][j] * rates[j] for j in range(i + 1, 3))) / a[i][i]
    return rates


def main() -> None:
    for language, rows in measured().items():
        errors = [abs(speechtime.seconds(t, language) - s) / s for t, s in rows]
        estimated = sum(speechtime.seconds(t, language) for t, _ in rows)
        rates = ", ".join(f"{r:.3f}" for r in fit(rows))
        print(f"{language}: {len(rows)} prompts, espeak-ng {sum(s for _, s in rows):.1f} s, "
              f"estimate {estimated:.1f} s; error per prompt mean "
              f"{statistics.mean(errors):.1%}, max {max(errors):.1%}; "
              f"fit (syllable, digit, pause) {rates} s")


if __name__ == "__main__":
    main()
