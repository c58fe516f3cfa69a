"""Speech-to-text quality on `shared/benchmarks/speech`: character error rate (CER) for Mandarin and word error
rate (WER) for English, plus the real-time factor of the run.

Scoring follows the benchmark's README: Mandarin is compared after converting both sides to simplified
characters and dropping punctuation and spaces, English after lower-casing, dropping punctuation and writing
number words as digits ("one two three" = "1, 2, 3"). Rates are corpus-level: all edits over all reference
characters (or words) of the language, so a long clip weighs more than a short one.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.audio import decode
from assistant.speech_text import english_number, to_simplified
from assistant.transcriber import Transcriber
from settings import Language

SPEECH = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "speech"
OUT = Path(__file__).resolve().parent / "out"
_NUMBER_WORD = re.compile(
    r"^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)$"
)


@dataclass(frozen=True)
class Clip:
    path: str
    lang: Language
    text: str
    duration_s: float


@dataclass(frozen=True)
class ClipResult:
    path: str
    lang: Language
    reference: str
    hypothesis: str
    errors: int
    length: int
    seconds: float
    duration_s: float


@dataclass(frozen=True)
class SpeechReport:
    model: str
    cer_zh: float
    wer_en: float
    rtf: float
    clips: list[ClipResult]


def load_manifest(folder: Path = SPEECH) -> list[Clip]:
    """The clips listed in `folder/manifest.jsonl`."""
    clips = []
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            clips.append(Clip(row["path"], row["lang"], row["text"], float(row["duration_s"])))
    return clips


def zh_units(text: str) -> list[str]:
    """Characters scored for CER: simplified, case-folded, without punctuation, symbols or spaces."""
    return [ch for ch in to_simplified(text).casefold() if not unicodedata.category(ch).startswith(("P", "S", "Z"))]


def en_units(text: str) -> list[str]:
    """Words scored for WER: lower case, no punctuation (apostrophes kept inside words), number words as digits."""
    words = re.sub(r"[^\w']+", " ", text.casefold().replace("’", "'")).split()
    words = [w.strip("'") for w in words if w.strip("'")]
    return [str(english_number(w)) if _NUMBER_WORD.match(w) else w for w in words]


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance: substitutions, deletions and insertions turning one sequence into the other."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i]
        for j, hyp in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def evaluate(transcriber: Transcriber, clips: Sequence[Clip], folder: Path = SPEECH, model: str = "") -> SpeechReport:
    """Transcribe every clip in its own language and score it (decoding time included in `seconds`)."""
    results = []
    for clip in clips:
        started = time.perf_counter()
        audio = decode((folder / clip.path).read_bytes(), max_seconds=600)
        hypothesis = to_simplified(transcriber.transcribe(audio, clip.lang).text)
        seconds = time.perf_counter() - started
        units = zh_units if clip.lang == "zh" else en_units
        ref, hyp = units(clip.text), units(hypothesis)
        results.append(
            ClipResult(
                clip.path, clip.lang, clip.text, hypothesis, edit_distance(ref, hyp), len(ref), seconds, clip.duration_s
            )
        )
    return SpeechReport(
        model=model,
        cer_zh=_rate(results, "zh"),
        wer_en=_rate(results, "en"),
        rtf=round(sum(r.seconds for r in results) / max(sum(r.duration_s for r in results), 1e-9), 3),
        clips=results,
    )


def _rate(results: Sequence[ClipResult], lang: Language) -> float:
    length = sum(r.length for r in results if r.lang == lang)
    return round(sum(r.errors for r in results if r.lang == lang) / length, 4) if length else 0.0


def markdown(report: SpeechReport, command: str) -> str:
    """The report as Markdown: the figures, then every clip with its errors."""
    n_zh = sum(r.lang == "zh" for r in report.clips)
    n_en = len(report.clips) - n_zh
    lines = [
        "# Speech eval (shared/benchmarks/speech)",
        "",
        f"Command: `{command}`  ",
        f"Model: `{report.model}`",
        "",
        "| language | clips | metric | value |",
        "|---|---|---|---|",
        f"| zh | {n_zh} | CER | {report.cer_zh:.4f} |",
        f"| en | {n_en} | WER | {report.wer_en:.4f} |",
        "",
        f"Real-time factor of the whole run (decode + transcribe, seconds per second of audio): {report.rtf:.3f}",
        "",
        "| clip | errors / length | seconds | hypothesis |",
        "|---|---|---|---|",
    ]
    for r in report.clips:
        lines.append(f"| {r.path} | {r.errors} / {r.length} | {r.seconds:.2f} | {r.hypothesis.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def write(report: SpeechReport, command: str, out: Path = OUT) -> tuple[Path, Path]:
    """Write speech.json and speech.md under `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "speech.json", out / "speech.md"
    payload = {"command": command, **asdict(report)}
    json_path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    md_path.write_text(markdown(report, command), encoding="utf-8")
    return json_path, md_path
