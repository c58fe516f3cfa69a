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
from errors import QiaoError
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


class ManifestError(ValueError):
    """A manifest that can't be scored; the message names the file, the line and what to fix."""


def load_manifest(folder: Path = SPEECH) -> list[Clip]:
    """The clips listed in `folder/manifest.jsonl`: a JSON object a line with `path` (an audio file, relative to
    `folder`), `lang` (zh or en) and `text` (what was said); `duration_s` is optional (read from the audio when
    missing). Raises ManifestError for the first line that can't be used."""
    manifest = folder / "manifest.jsonl"
    if not manifest.is_file():
        raise ManifestError(
            f"{manifest} not found: put a manifest.jsonl beside the clips / "
            f"找不到 {manifest}，请在音频旁放 manifest.jsonl"
        )
    clips = []
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ManifestError(f"{manifest}:{number}: not JSON ({exc.msg}) / 第 {number} 行不是 JSON") from exc
        problem = _manifest_problem(row, folder)
        if problem:
            raise ManifestError(f"{manifest}:{number}: {problem}")
        clips.append(Clip(row["path"], row["lang"], row["text"], float(row.get("duration_s") or 0.0)))
    if not clips:
        raise ManifestError(f"{manifest} lists no clips / 清单里没有音频")
    return clips


def _manifest_problem(row: object, folder: Path) -> str:
    """What is wrong with one manifest row, in both languages; "" when it can be scored."""
    if not isinstance(row, dict):
        return 'each line must be an object like {"path": …, "lang": …, "text": …} / 每行应是一个 JSON 对象'
    path, lang, text, duration = row.get("path"), row.get("lang"), row.get("text"), row.get("duration_s")
    if not isinstance(path, str) or not (folder / path).is_file():
        return f"path {path!r} is not an audio file under {folder} / 找不到音频文件 {path!r}"
    if lang not in ("zh", "en"):
        return f"lang must be 'zh' or 'en', not {lang!r} / lang 只能是 zh 或 en"
    if not isinstance(text, str) or not text.strip():
        return "text must be what was said, not empty / text 应为录音内容，不能为空"
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int | float) or duration < 0):
        return f"duration_s must be seconds (a number ≥ 0) or left out, not {duration!r} / duration_s 应为秒数或省略"
    return ""


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
        try:
            audio = decode((folder / clip.path).read_bytes(), max_seconds=600)
        except QiaoError as exc:  # a clip of someone's own manifest that is not audio, or is cut short
            raise ManifestError(f"{folder / clip.path}: {exc.detail_en} / {exc.detail_zh}") from exc
        duration = clip.duration_s or audio.duration_s
        hypothesis = to_simplified(transcriber.transcribe(audio, clip.lang).text)
        seconds = time.perf_counter() - started
        units = zh_units if clip.lang == "zh" else en_units
        ref, hyp = units(clip.text), units(hypothesis)
        results.append(
            ClipResult(
                clip.path, clip.lang, clip.text, hypothesis, edit_distance(ref, hyp), len(ref), seconds, duration
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


_SOURCES: dict[str, str] = {"test": "shared/benchmarks/speech", "dev": "synthetic dev set, espeak-ng"}


def markdown(report: SpeechReport, command: str) -> str:
    """The report as Markdown: the figures, then every clip with its errors."""
    n_zh = sum(r.lang == "zh" for r in report.clips)
    n_en = len(report.clips) - n_zh
    source = _SOURCES.get(report.split)
    cer, wer = _shown(report.cer_zh, n_zh), _shown(report.wer_en, n_en)
    lines = [
        f"# Speech eval, {report.split} split ({source})" if source else "# Speech eval of the clips in a manifest",
        "",
        f"Command: `{command}`  ",
        f"Model: `{report.model}`  ",
        f"Decoding: {report.decoding or 'not recorded'}",
        "",
        "| language | clips | metric | value |",
        "|---|---|---|---|",
        f"| zh | {n_zh} | CER | {cer} |",
        f"| en | {n_en} | WER | {wer} |",
        "",
        f"Capped (a clip counts at most its length): CER {_shown(report.cer_zh_capped, n_zh)}, "
        f"WER {_shown(report.wer_en_capped, n_en)}; "
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


def _shown(rate: float, clips: int) -> str:
    """A rate as the report prints it; "—" for a language without clips (no rate, rather than a perfect one)."""
    return f"{rate:.4f}" if clips else "—"


def write(report: SpeechReport, command: str, out: Path = OUT) -> tuple[Path, Path]:
    """Write speech.json and speech.md (speech_dev.* for the dev split) under `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    stem = "speech" if report.split == "test" else f"speech_{report.split}"
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    payload = {"command": command, **asdict(report)}
    json_path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    md_path.write_text(markdown(report, command), encoding="utf-8")
    return json_path, md_path
