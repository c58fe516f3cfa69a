"""Understanding as a service: the trained classifier, the workspace directory (cached briefly), and the
clock and time zone a parse needs."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from errors import BackendUnavailable, InvalidInput
from intents.directory import Directory, Entry
from intents.language import detect_language
from intents.ner_en import SpacyPeople
from intents.parser import Parser, clean_text
from intents.training import load_or_train
from intents.types import Intent, ParseResult, Slots
from retrieval.embedder import Embedder

DirectorySource = Callable[[], tuple[list[Entry], list[Entry]]]
log = logging.getLogger("qiao.intents")


class Understanding:
    """Parses messages against the live workspace. `warm()` loads every model; parse() also loads on demand."""

    def __init__(
        self,
        embedder: Embedder,
        cache_dir: Path,
        directory_source: DirectorySource,
        tz: ZoneInfo,
        *,
        directory_ttl_s: float = 10.0,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.directory_source = directory_source
        self.tz = tz
        self.directory_ttl_s = directory_ttl_s
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._parser: Parser | None = None
        self._lock = threading.Lock()
        self._directory: tuple[float, Directory] | None = None
        self.people = SpacyPeople()
        self.warm_error: str | None = None

    @property
    def parser(self) -> Parser:
        if self._parser is None:
            with self._lock:
                if self._parser is None:
                    classifier, kinds = load_or_train(self.embedder, self.cache_dir)
                    self._parser = Parser(classifier, kinds, english_people=self.people)
        return self._parser

    @property
    def loaded(self) -> bool:
        return self._parser is not None

    def check_ready(self) -> None:
        """Raise BackendUnavailable until the models are loaded (or say why loading failed)."""
        if self.warm_error:
            raise BackendUnavailable(
                f"the models failed to load ({self.warm_error}): see the server log",
                f"模型加载失败（{self.warm_error}）：请查看服务日志",
            )
        if not self.loaded:
            raise BackendUnavailable(
                "the models are still loading (first start trains the intent classifier): retry in a few seconds",
                "模型仍在加载（首次启动需训练意图分类器）：请稍后重试",
            )

    def warm(self) -> None:
        """Train or load the classifier and load the embedder and spaCy, so no request pays for it."""
        self.parser.classify("warm up")
        self.people("warm up")

    def warm_in_background(self) -> threading.Thread:
        """Warm up on a daemon thread; `loaded` turns true when done, `warm_error` says why if it failed."""

        def run() -> None:
            try:
                self.warm()
            except Exception as exc:  # reported by /readyz instead of killing the process
                self.warm_error = f"{type(exc).__name__}: {exc}"
                log.exception("warming up the models failed")

        thread = threading.Thread(target=run, name="qiao-warm-up", daemon=True)
        thread.start()
        return thread

    def directory(self, caller_id: int | None = None) -> Directory:
        cached = self._directory
        if cached is None or time.monotonic() - cached[0] > self.directory_ttl_s:
            people, projects = self.directory_source()
            cached = (time.monotonic(), Directory(people=tuple(people), projects=tuple(projects)))
            self._directory = cached
        base = cached[1]
        if caller_id is None:
            return base
        return Directory(people=base.people, projects=base.projects, caller_id=caller_id)

    def invalidate(self) -> None:
        """Forget the cached directory (after a member or project changes)."""
        self._directory = None

    def fill(self, text: str, intent: Intent, now: dt.datetime, caller_id: int | None = None) -> Slots:
        """The slots `intent` would take in `text` (for follow-ups: a correction, a chosen reading)."""
        text = clean_text(text)
        return self.parser.fill(text, intent, now.astimezone(self.tz), self.directory(caller_id), detect_language(text))

    def parse(
        self, text: str, now: dt.datetime | None = None, timezone: str | None = None, caller_id: int | None = None
    ) -> ParseResult:
        """Parse `text` as of `now` in `timezone` (defaults: the clock, the deployment's zone)."""
        tz = self.tz
        if timezone:
            try:
                tz = ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise InvalidInput(
                    f"unknown timezone {timezone!r}: use an IANA name such as Asia/Shanghai or Europe/Berlin",
                    f"未知时区 {timezone!r}：请使用 IANA 名称，例如 Asia/Shanghai",
                ) from exc
        moment = now or self.clock()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=tz)
        return self.parser.parse(text, moment.astimezone(tz), self.directory(caller_id))
