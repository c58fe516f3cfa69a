"""Heading-aware chunking: split a document at its `#` headings first, so a chunk never straddles two sections
and knows its section path, then split long sections at paragraph, line and sentence ends (Chinese and English)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from knowledge.loaders import LoadedDocument
from retrieval.passages import heading

# Longest first: a paragraph break beats a line break beats a sentence end beats a clause break.
SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", ". ", "! ", "? ", "; ", "，", "、", ", ", " ", ""]
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3"), ("####", "h4")]
_EMPHASIS = re.compile(r"\*\*|__|`")
_CODE_BLOCK = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Chunk:
    """One passage: its position in the document, its section path ('Setup › Slack') and its text.

    `is_code` marks a chunk cut from a fenced code block: it is indexed under its page and section only, since
    JSON samples and config files otherwise outrank the prose that answers a question ("columns turn red").
    """

    ordinal: int
    section: str
    text: str
    is_code: bool = False

    @property
    def searchable(self) -> str:
        """The part of the text that is embedded and keyword-indexed."""
        return "" if self.is_code else self.text


def passage_text(title: str, section: str, text: str) -> str:
    """What gets embedded and keyword-indexed for a chunk: the text under its page title and section, so a chunk
    that never names its topic ("up to 5 channels") is still found by a question about the topic."""
    return f"{heading(title, section)}\n{text}"


class Chunker:
    """Splits documents into chunks of at most `chunk_size` characters (langchain-text-splitters)."""

    def __init__(self, chunk_size: int = 400, chunk_overlap: int = 60) -> None:
        from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

        self.chunk_size = chunk_size
        self.chunk_overlap = min(chunk_overlap, chunk_size // 2)
        self._headers = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
        self._recursive = RecursiveCharacterTextSplitter(
            separators=SEPARATORS,
            keep_separator="end",
            chunk_size=chunk_size,
            chunk_overlap=self.chunk_overlap,
        )

    @property
    def signature(self) -> str:
        """Identifies the chunking: a change re-chunks (and re-embeds) every document on the next ingest."""
        spec = f"v2|{self.chunk_size}|{self.chunk_overlap}|{'|'.join(SEPARATORS)}|{passage_text('t', 's', 'x')}"
        return hashlib.sha256(spec.encode()).hexdigest()[:16]

    def split(self, document: LoadedDocument) -> list[Chunk]:
        """The document's chunks in reading order (none for a document with no text under any heading)."""
        chunks: list[Chunk] = []
        for part in self._headers.split_text(document.markdown):
            section = _section(part.metadata, document.title)
            for segment, is_code in _segments(part.page_content):
                for piece in self._recursive.split_text(segment):
                    text = piece.strip() if is_code else _EMPHASIS.sub("", piece).strip()
                    if text:
                        chunks.append(Chunk(ordinal=len(chunks), section=section, text=text, is_code=is_code))
        return chunks


def _segments(content: str) -> list[tuple[str, bool]]:
    """`content` as alternating (prose, False) and (fenced code, True) segments, in order."""
    out: list[tuple[str, bool]] = []
    position = 0
    for match in _CODE_BLOCK.finditer(content):
        out.append((content[position : match.start()], False))
        out.append((match.group(0), True))
        position = match.end()
    out.append((content[position:], False))
    return [(text, is_code) for text, is_code in out if text.strip()]


def _section(metadata: dict[str, Any], title: str) -> str:
    path = [str(metadata[key]).strip() for _, key in _HEADERS if metadata.get(key)]
    if path and path[0].casefold() == title.strip().casefold():
        path = path[1:]
    return " › ".join(_EMPHASIS.sub("", p) for p in path)[:500]
