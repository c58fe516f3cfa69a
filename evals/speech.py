"""Speech-to-text quality: character error rate (CER) for Mandarin and word error rate (WER) for English, plus the
real-time factor of the run, on the test clips of `shared/benchmarks/speech` or the synthetic dev set
(`evals/speech_dev.py`, the only one to tune decoding on).

Mandarin is compared after converting both sides to simplified characters, writing numerals as read aloud
(7点半 = 七点半) and dropping punctuation and spaces; English after lower-casing, dropping punctuation and
writing number words as digits ("one two three" = "1, 2, 3"): see `evals/speech_units.py`. Rates are
corpus-level: all edits over all reference characters (or words) of the language, so a long clip weighs more
than a short one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.audio import decode
from assistant.speech_text import to_simplified
from assistant.transcriber import Transcriber
from evals.speech_units import edit_distance, en_units, zh_units
from settings import Language

SPEECH = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "speech"
OUT = Path(__file__).resolve().parent / "out"


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
    decoding: str
    split: str
    cer_zh: float
    wer_en: float
    rtf: float
    clips: list[ClipResult]
    cer_zh_capped: float = 0.0
    wer_en_capped: float = 0.0
    runaway_clips: int = 0


def load_manifest(folder: Path = SPEECH) -> list[Clip]:
    """The clips listed in `folder/manifest.jsonl`."""
    clips = []
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            clips.append(Clip(row["path"], row["lang"], row["text"], float(row["duration_s"])))
    return clips


def evaluate(
    transcriber: Transcriber,
    clips: Sequence[Clip],
    folder: Path = SPEECH,
    model: str = "",
    *,
    decoding: str = "",
    split: str = "test",
) -> SpeechReport:
    """Transcribe every clip in its own language and score it (decoding time included in `seconds`); `model`,
    `decoding` (the options, as text) and `split` are only recorded in the report."""
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
        decoding=decoding,
        split=split,
        cer_zh=_rate(results, "zh"),
        wer_en=_rate(results, "en"),
        rtf=round(sum(r.seconds for r in results) / max(sum(r.duration_s for r in results), 1e-9), 3),
        clips=results,
        cer_zh_capped=_rate(results, "zh", capped=True),
        wer_en_capped=_rate(results, "en", capped=True),
        runaway_clips=sum(r.errors > r.length for r in results),
    )


def _rate(results: Sequence[ClipResult], lang: Language, *, capped: bool = False) -> float:
    """Edits over reference units of `lang`; `capped`: a clip's edits count at most its reference length, so a
    runaway repetition ("成,成,成,…") weighs like a clip all wrong, not like ten."""
    length = sum(r.length for r in results if r.lang == lang)
    errors = sum(min(r.errors, r.length) if capped else r.errors for r in results if r.lang == lang)
    return round(errors / length, 4) if length else 0.0


def markdown(report: SpeechReport, command: str) -> str:
    """The report as Markdown: the figures, then every clip with its errors."""
    n_zh = sum(r.lang == "zh" for r in report.clips)
    n_en = len(report.clips) - n_zh
    source = "shared/benchmarks/speech" if report.split == "test" else "synthetic dev set, espeak-ng"
    lines = [
        f"# Speech eval, {report.split} split ({source})",
        "",
        f"Command: `{command}`  ",
        f"Model: `{report.model}`  ",
        f"Decoding: {report.decoding or 'not recorded'}",
        "",
        "| language | clips | metric | value |",
        "|---|---|---|---|",
        f"| zh | {n_zh} | CER | {report.cer_zh:.4f} |",
        f"| en | {n_en} | WER | {report.wer_en:.4f} |",
        "",
        f"Capped (a clip counts at most its length): CER {report.cer_zh_capped:.4f}, WER {report.wer_en_capped:.4f}; "
        f"runaway clips (more edits than reference units): {report.runaway_clips}",
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
    """Write speech.json and speech.md (speech_dev.* for the dev split) under `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    stem = "speech" if report.split == "test" else f"speech_{report.split}"
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    payload = {"command": command, **asdict(report)}
    json_path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    md_path.write_text(markdown(report, command), encoding="utf-8")
    return json_path, md_path
