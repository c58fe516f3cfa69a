"""Voice as a service: audio bytes → checked and decoded → transcript in simplified characters → (for a parse)
spoken numbers normalised → intent and slots.

A turn of dialogue by voice is `transcribe()` followed by whatever the typed turn does with the text; `parse()`
is that path ending at understanding, which is what POST /api/v1/voice/parse serves.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from assistant.audio import check_size, decode
from assistant.speech_text import normalize_spoken, to_simplified
from assistant.transcriber import Segment, Transcriber, Transcript
from errors import InvalidInput
from intents.service import Understanding
from intents.types import ParseResult
from settings import Language


class VoiceParse(BaseModel):
    """A spoken message understood: what was heard, and the intent and slots read from it."""

    model_config = ConfigDict(frozen=True)

    transcript: Transcript
    parse: ParseResult = Field(description="Understanding of the transcript (its `text` has numbers as digits).")


class VoiceService:
    """Checks, decodes and transcribes uploads within the configured limits."""

    def __init__(
        self, transcriber: Transcriber, understanding: Understanding, *, max_seconds: float, max_bytes: int
    ) -> None:
        self.transcriber = transcriber
        self.understanding = understanding
        self.max_seconds = max_seconds
        self.max_bytes = max_bytes

    def transcribe(self, data: bytes, language: Language | None = None) -> Transcript:
        """The transcript of an audio file in `language` (None: detect zh or en), in simplified characters.

        Raises PayloadTooLarge (over QIAO_VOICE_MAX_BYTES or QIAO_VOICE_MAX_SECONDS), UnsupportedMediaType (not
        wav, webm/opus, ogg, mp3, m4a or flac), InvalidInput (corrupt, truncated, silent or no speech heard) and
        BackendUnavailable (the model cannot be loaded).
        """
        check_size(len(data), self.max_bytes)
        audio = decode(data, max_seconds=self.max_seconds)
        heard = self.transcriber.transcribe(audio, language)
        if not heard.text.strip():
            raise InvalidInput(
                "no speech heard in the audio: check the microphone, speak after the recording starts, and send "
                "it again",
                "音频中没有识别到语音：请检查麦克风，开始录音后再说话，然后重新发送",
            )
        segments = [Segment(start=s.start, end=s.end, text=to_simplified(s.text)) for s in heard.segments]
        return heard.model_copy(update={"text": to_simplified(heard.text), "segments": segments})

    def parse(
        self,
        data: bytes,
        language: Language | None = None,
        now: dt.datetime | None = None,
        timezone: str | None = None,
    ) -> VoiceParse:
        """Transcribe, then understand: the transcript and the intent and slots read from it.

        Raises what `transcribe` and `Understanding.parse` raise.
        """
        transcript = self.transcribe(data, language)
        result = self.understanding.parse(normalize_spoken(transcript.text), now, timezone)
        return VoiceParse(transcript=transcript, parse=result)
