"""A spoken turn: the recording is transcribed (in the language of the request, else of the session, else
detected), and the transcript goes through the same turn as typed text, recorded as voice."""

from __future__ import annotations

from typing import Literal

from assistant.cards import TurnResponse
from assistant.engine import Assistant
from assistant.transcriber import Transcript
from assistant.voice import VoiceService
from errors import NotFound
from knowledge.enums import Source
from knowledge.schemas import Actor


class VoiceTurn(TurnResponse):
    """The chat response, plus what was heard."""

    transcript: Transcript


class VoiceChat:
    def __init__(self, voice: VoiceService, assistant: Assistant) -> None:
        self.voice = voice
        self.assistant = assistant

    def turn(
        self,
        audio: bytes,
        *,
        lang: Literal["zh", "en"] | None,
        session_id: str | None,
        user: str | None,
        actor: Actor,
    ) -> VoiceTurn:
        """Transcribe `audio` and answer it; raises what VoiceService.transcribe and Assistant.turn raise."""
        spoken = lang
        if spoken is None and session_id:
            try:
                spoken = self.assistant.deps.sessions.get(session_id, actor).language
            except NotFound:
                spoken = None  # a new session id: detect the language from the audio
        transcript = self.voice.transcribe(audio, spoken)
        response = self.assistant.turn(
            transcript.text, session_id=session_id, lang=lang, user=user, actor=actor, source=Source.voice
        )
        return VoiceTurn(**response.model_dump(), transcript=transcript)
