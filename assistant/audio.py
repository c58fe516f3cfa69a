"""Audio in: an uploaded file's bytes, checked and decoded by PyAV (FFmpeg's libraries, no ffmpeg binary) into
16 kHz mono float32 samples, the form Whisper reads.

The container is recognised from its first bytes and opened with that demuxer only, so FFmpeg never probes a
hostile upload with a demuxer that could follow links (playlists, concat lists). Decoding stops as soon as the
clip is longer than allowed, so a long or bomb-like file costs at most the limit's worth of work.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from dataclasses import dataclass

import av
import numpy as np
import numpy.typing as npt

from errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

SAMPLE_RATE = 16_000
ACCEPTED = "wav, webm/opus, ogg, mp3, m4a or flac"
ACCEPTED_ZH = "wav、webm/opus、ogg、mp3、m4a 或 flac"
_MB = 1_000_000


@dataclass(frozen=True)
class Audio:
    """Decoded speech: mono float32 samples in [-1, 1] at `SAMPLE_RATE`."""

    samples: npt.NDArray[np.float32]
    container: str

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return len(self.samples) / SAMPLE_RATE


def sniff_format(data: bytes) -> str | None:
    """The FFmpeg demuxer for `data` from its magic bytes (wav, matroska, ogg, mp4, flac, mp3), else None."""
    head = data[:12]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM and Matroska
        return "matroska"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp":  # ISO media: m4a, mp4, 3gp
        return "mp4"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):  # MPEG frame sync
        return "mp3"
    return None


def check_size(size: int, max_bytes: int) -> None:
    """Raise InvalidInput for an empty file, PayloadTooLarge for one over `max_bytes`."""
    if size == 0:
        raise InvalidInput(
            "the audio file is empty: record again and send the file in the `audio` field",
            "音频文件为空：请重新录音，并放在 `audio` 字段中上传",
        )
    if size > max_bytes:
        raise PayloadTooLarge(
            f"audio file larger than {max_bytes / _MB:g} MB: send a shorter or more compressed clip "
            "(webm/opus or m4a) or raise QIAO_VOICE_MAX_BYTES",
            f"音频文件超过 {max_bytes / _MB:g} MB：请发送更短或压缩率更高的录音（webm/opus 或 m4a），"
            "或调大 QIAO_VOICE_MAX_BYTES",
        )


def decode(data: bytes, *, max_seconds: float) -> Audio:
    """Decode `data` to 16 kHz mono float32.

    Raises UnsupportedMediaType when it is not a wav, webm/opus, ogg, mp3, m4a or flac file, InvalidInput when it is
    corrupt, truncated or has no sound, and PayloadTooLarge when it is longer than `max_seconds`.
    """
    container_format = sniff_format(data)
    if container_format is None:
        raise UnsupportedMediaType(
            f"not an audio file Qiao can read: send {ACCEPTED}",
            f"无法识别的音频文件：请发送 {ACCEPTED_ZH} 格式",
        )
    limit = int(max_seconds * SAMPLE_RATE)
    chunks: list[npt.NDArray[np.float32]] = []
    count = 0
    try:
        with av.open(io.BytesIO(data), mode="r", format=container_format, metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise _unreadable("it has no audio track", "文件中没有音轨")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in _frames(container, stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                    count += len(chunk)
                    if count > limit:
                        raise too_long(max_seconds)
                    chunks.append(chunk)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1).astype(np.float32, copy=False))
    except av.FFmpegError as exc:
        raise _unreadable(
            f"FFmpeg: {exc.strerror or type(exc).__name__}", f"FFmpeg：{exc.strerror or '解码失败'}"
        ) from exc
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if len(samples) > limit:
        raise too_long(max_seconds)
    if len(samples) < SAMPLE_RATE // 10:
        raise _unreadable("it holds no sound (truncated?)", "文件中没有声音（可能已截断）")
    return Audio(samples=samples, container=container_format)


def _frames(container: av.container.InputContainer, stream: av.AudioStream) -> Iterator[av.AudioFrame]:
    """The stream's frames, one packet at a time (so decoding can stop early), skipping damaged packets."""
    for packet in container.demux(stream):
        try:
            yield from packet.decode()
        except av.InvalidDataError:
            continue  # one bad packet in a long recording should not lose the rest of it


def too_long(max_seconds: float) -> PayloadTooLarge:
    """The error for a clip over the length limit."""
    return PayloadTooLarge(
        f"audio longer than {max_seconds:g} s: send a shorter clip or raise QIAO_VOICE_MAX_SECONDS",
        f"音频超过 {max_seconds:g} 秒：请发送更短的录音，或调大 QIAO_VOICE_MAX_SECONDS",
    )


def _unreadable(why_en: str, why_zh: str) -> InvalidInput:
    return InvalidInput(
        f"the audio could not be decoded ({why_en}): send a complete {ACCEPTED} file",
        f"音频无法解码（{why_zh}）：请发送完整的 {ACCEPTED_ZH} 文件",
    )


def to_wav(samples: npt.NDArray[np.float32], rate: int = SAMPLE_RATE) -> bytes:
    """16-bit mono WAV bytes of float samples in [-1, 1] (for tests, benchmarks and re-encoding)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    return out.getvalue()
