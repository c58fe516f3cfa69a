"""Voice speed and memory, printed as a table (`python -m bench.voice`, or `make bench`).

1. Real-time factor (seconds of work per second of audio) and peak resident memory while transcribing a 5 s and
   a 30 s clip, end to end as POST /api/v1/transcribe does it: decode, voice-activity filter, Whisper, simplified
   conversion. The clips are real speech from shared/benchmarks/speech (the 30 s one is several Mandarin clips
   joined and cut at 30 s).
2. Latency p50 / p95 of a short spoken command (about 3 s, English, made by espeak-ng).

Memory is the process's resident set (VmRSS) sampled every 5 ms: "loaded" is after the model is in memory,
"peak" the highest value seen during the runs of that clip. The first run of each clip is a warm-up, not timed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from api.wiring import build_transcriber
from assistant.audio import SAMPLE_RATE, decode, to_wav
from assistant.speech_text import to_simplified
from assistant.transcriber import Transcriber
from evals.speech import SPEECH
from settings import Language, Settings

COMMAND = "Remind me to call the bank tomorrow."
FIVE_S = "en/f5tts_basic_ref_en.wav"
THIRTY_S = ("zh/mossttsd_pod_f_enhanced.wav", "zh/mossttsd_pod_m_enhanced.wav")


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; elsewhere the peak so far from getrusage)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


@contextmanager
def peak_memory() -> Iterator[list[float]]:
    """Samples RSS on a thread while the block runs; the list holds the peak (MB) afterwards."""
    peak = [rss_mb()]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], rss_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()
        peak[0] = max(peak[0], rss_mb())


def thirty_seconds(folder: Path) -> bytes:
    joined = np.concatenate([decode((folder / p).read_bytes(), max_seconds=600).samples for p in THIRTY_S])
    return to_wav(joined[: 30 * SAMPLE_RATE])


def spoken_command(tmp: Path) -> bytes:
    path = tmp / "command.wav"
    subprocess.run(["espeak-ng", "-v", "en-us+m3", "-s", "125", "-g", "2", "-w", str(path), COMMAND], check=True)
    return path.read_bytes()


def run_once(transcriber: Transcriber, data: bytes, language: Language) -> float:
    """Seconds to take `data` from bytes to simplified text."""
    started = time.perf_counter()
    to_simplified(transcriber.transcribe(decode(data, max_seconds=600), language).text)
    return time.perf_counter() - started


def measure(transcriber: Transcriber, data: bytes, language: Language, runs: int) -> dict[str, float]:
    """Duration, RTF (median of `runs`), p50/p95 latency and peak RSS for one clip."""
    duration = decode(data, max_seconds=600).duration_s
    run_once(transcriber, data, language)  # warm-up
    with peak_memory() as peak:
        times = [run_once(transcriber, data, language) for _ in range(runs)]
    p50 = statistics.median(times)
    p95 = float(np.percentile(times, 95))
    return {"duration_s": duration, "rtf": p50 / duration, "p50_s": p50, "p95_s": p95, "peak_mb": peak[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Voice speed and memory. 语音识别速度与内存基准。")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs per long clip.")
    parser.add_argument("--command-runs", type=int, default=20, help="Timed runs of the short command.")
    parser.add_argument("--model-dir", type=Path, default=None, help="Override QIAO_WHISPER_MODEL_DIR.")
    parser.add_argument("--threads", type=int, default=None, help="Override QIAO_WHISPER_THREADS.")
    args = parser.parse_args(argv)
    settings = Settings()
    update = {"whisper_model_dir": args.model_dir, "whisper_threads": args.threads}
    settings = settings.model_copy(update={k: v for k, v in update.items() if v is not None})
    transcriber = build_transcriber(settings)
    before = rss_mb()
    load: Callable[[], None] | None = getattr(transcriber, "warm", None)
    started = time.perf_counter()
    if load is not None:
        load()
    print(
        f"model {settings.whisper_model_dir or 'bundled whisper-base'}, {settings.whisper_threads} threads, "
        f"{os.cpu_count()} cores: loaded in {time.perf_counter() - started:.2f} s, "
        f"RSS {before:.0f} → {rss_mb():.0f} MB",
        flush=True,
    )
    print("clip             duration   RTF (p50)   p50 s    p95 s    peak RSS MB", flush=True)
    with tempfile.TemporaryDirectory(prefix="qiao-bench-voice-") as tmp:
        clips: list[tuple[str, bytes, Language, int]] = [
            ("5 s (en)", (SPEECH / FIVE_S).read_bytes(), "en", args.runs),
            ("30 s (zh)", thirty_seconds(SPEECH), "zh", args.runs),
            ("command (en)", spoken_command(Path(tmp)), "en", args.command_runs),
        ]
        for name, data, language, runs in clips:
            m = measure(transcriber, data, language, runs)
            print(
                f"{name:<16} {m['duration_s']:>6.2f} s   {m['rtf']:>8.3f}   {m['p50_s']:>6.2f}   "
                f"{m['p95_s']:>6.2f}   {m['peak_mb']:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
