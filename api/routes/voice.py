"""Voice: POST /api/v1/transcribe (audio → text) and POST /api/v1/voice/parse (audio → text → intent + slots).

Uploads are multipart/form-data with the file in `audio`; the body guard lets these paths carry
QIAO_VOICE_MAX_BYTES plus the multipart framing, and the service checks the file itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile

from api.auth import Caller
from api.deps import ServicesDep
from assistant.transcriber import Transcript
from assistant.voice import VoiceParse, VoiceService
from assistant.voice_chat import VoiceChat, VoiceTurn
from settings import Language

router = APIRouter(prefix="/api/v1", tags=["voice"])
VOICE_PATHS = ("/api/v1/transcribe", "/api/v1/voice")
MULTIPART_OVERHEAD = 64 * 1024  # boundaries, part headers and the small form fields beside the file


def is_voice(path: str) -> bool:
    """Whether `path` takes audio (bigger bodies, longer deadlines)."""
    return path.startswith(VOICE_PATHS)


def body_limit(path: str, max_audio_bytes: int) -> int | None:
    """The body cap for `path`: room for one audio file on the voice routes, None (the default) elsewhere."""
    return max_audio_bytes + MULTIPART_OVERHEAD if is_voice(path) else None


def get_voice(services: ServicesDep) -> VoiceService:
    return services.voice


VoiceDep = Annotated[VoiceService, Depends(get_voice)]


def get_voice_chat(services: ServicesDep) -> VoiceChat:
    return services.voice_chat


VoiceChatDep = Annotated[VoiceChat, Depends(get_voice_chat)]
AudioFile = Annotated[
    UploadFile,
    File(description="The recording: wav, webm/opus, ogg, mp3, m4a or flac. 录音文件。"),
]
Lang = Annotated[
    Language | None,
    Form(description="What is spoken: zh or en; omit to let Whisper tell. 语音的语言，省略则自动识别。"),
]


@router.post(
    "/transcribe",
    response_model=Transcript,
    summary="Speech to text (zh/en); Mandarin comes back in simplified characters. 语音转文字",
)
def transcribe(audio: AudioFile, voice: VoiceDep, _: Caller, lang: Lang = None) -> Transcript:
    return voice.transcribe(audio.file.read(), lang)


@router.post(
    "/voice/parse",
    response_model=VoiceParse,
    summary="Speech to intent and slots: the transcript and what it asks for. 语音理解：转写并解析意图与槽位",
)
def voice_parse(
    audio: AudioFile,
    voice: VoiceDep,
    _: Caller,
    lang: Lang = None,
    now: Annotated[dt.datetime | None, Form(description="Reference time for relative dates; default: now.")] = None,
    timezone: Annotated[str | None, Form(max_length=64, description="IANA zone; default: the server's.")] = None,
) -> VoiceParse:
    return voice.parse(audio.file.read(), lang, now, timezone)


@router.post(
    "/voice",
    response_model=VoiceTurn,
    summary="A spoken chat turn: the transcript and the same response as /api/v1/chat. 语音对话",
)
def voice_turn(
    audio: AudioFile,
    voice_chat: VoiceChatDep,
    who: Caller,
    lang: Lang = None,
    session_id: Annotated[str | None, Form(max_length=64, description="The conversation; omit to start one.")] = None,
    user: Annotated[str | None, Form(max_length=64, description="The member speaking (key or id).")] = None,
) -> VoiceTurn:
    return voice_chat.turn(audio.file.read(), lang=lang, session_id=session_id, user=who.speaker(user), actor=who.actor)
