"""Reading help pages: Markdown (with YAML front matter), HTML, plain text and PDF become one `LoadedDocument`
with Markdown-style `#` headings, so chunking sees one shape whatever the file was.

Parsing is pure (bytes in, document out); `UnreadableDocument` says why a file cannot be used.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath

from errors import InvalidInput
from intents.language import detect_language

FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
    ".pdf": "pdf",
}


class UnreadableDocument(InvalidInput):
    """A file that cannot be ingested; the detail says why and what to do."""


@dataclass(frozen=True)
class LoadedDocument:
    """A document's text with `#` headings, and its metadata."""

    source: str
    title: str
    language: str
    updated: dt.date | None
    format: str
    markdown: str


def format_of(name: str) -> str | None:
    """The format a file name implies ('markdown', 'html', 'text', 'pdf'), or None when unsupported."""
    return FORMATS.get(PurePath(name.split("?")[0]).suffix.lower())


def load(source: str, data: bytes, fmt: str | None = None, modified: dt.date | None = None) -> LoadedDocument:
    """Parse `data` as `fmt` (default: from the source's extension). Raises UnreadableDocument."""
    fmt = fmt or format_of(source)
    if fmt is None:
        raise UnreadableDocument(
            f"{source}: unsupported file type; Qiao reads .md, .markdown, .html, .htm, .txt and .pdf",
            f"{source}：不支持的文件类型；支持 .md、.markdown、.html、.htm、.txt 与 .pdf",
        )
    if fmt == "pdf":
        title, body, updated = _pdf(source, data)
        meta: dict[str, str] = {}
    else:
        text = _decode(source, data)
        if fmt == "html":
            parser = _HtmlToMarkdown()
            parser.feed(text)
            parser.close()
            meta = {"title": parser.title, "lang": parser.lang}
            body = parser.markdown()
        elif fmt == "markdown":
            meta, body = split_front_matter(text)
            body = normalize_markdown(body)
        else:
            meta, body = {}, text
        title, updated = meta.get("title", ""), _date(meta.get("updated") or meta.get("lastmod") or meta.get("date"))
    if not body.strip():
        raise UnreadableDocument(f"{source}: no text found", f"{source}：文件中没有文字内容")
    # A PDF's headings are the page markers added above, never its title.
    title = title.strip() or (_first_heading(body) if fmt != "pdf" else "") or _stem_title(source)
    language = (meta.get("lang") or meta.get("language") or "").lower()[:2]
    if language not in ("zh", "en"):
        language = "en" if detect_language(body[:5000]) == "en" else "zh"
    return LoadedDocument(
        source=source, title=title, language=language, updated=updated or modified, format=fmt, markdown=body
    )


def _decode(source: str, data: bytes) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument(
            f"{source}: looks like a binary file, not text; convert it to Markdown, HTML, text or PDF",
            f"{source}：这是二进制文件而不是文本；请转换为 Markdown、HTML、纯文本或 PDF",
        )
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument(
        f"{source}: not valid UTF-8 text; save it as UTF-8 and ingest it again",
        f"{source}：不是有效的 UTF-8 文本；请另存为 UTF-8 后重新导入",
    )


def _pdf(source: str, data: bytes) -> tuple[str, str, dt.date | None]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs every repair it attempts on a damaged file; the ingest report already says what failed.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableDocument(
                f"{source}: the PDF is encrypted; export an unprotected copy and ingest that",
                f"{source}：PDF 已加密；请导出未加密的副本后再导入",
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = str(info.title or "") if info else ""
        modified = info.modification_date if info else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise UnreadableDocument(
            f"{source}: not a readable PDF ({type(exc).__name__}); re-export or repair it and ingest it again",
            f"{source}：PDF 无法读取（{type(exc).__name__}）；请重新导出或修复后再导入",
        ) from exc
    if not any(p.strip() for p in pages):
        raise UnreadableDocument(
            f"{source}: the PDF has no text layer (scanned?); run OCR on it first",
            f"{source}：PDF 没有文字层（可能是扫描件）；请先做 OCR 识别",
        )
    body = "\n\n".join(f"## p. {n}\n\n{text.strip()}" for n, text in enumerate(pages, start=1) if text.strip())
    return title, body, modified.date() if modified else None


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(top-level scalar keys of a leading `---` YAML block, the rest). Nested keys are ignored."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            meta: dict[str, str] = {}
            for line in lines[1:end]:
                match = re.match(r"^([A-Za-z_][\w-]*):\s*(.*?)\s*$", line)
                if match and match.group(2):
                    meta[match.group(1).lower()] = match.group(2).strip("\"'")
            return meta, "\n".join(lines[end + 1 :])
    return {}, text


_SETEXT = re.compile(r"^(=+|-+)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def normalize_markdown(body: str) -> str:
    """Setext headings become `#`/`##`; images keep their alt text and links their text; comments go."""
    body = _COMMENT.sub("", body)
    out: list[str] = []
    fenced = False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif (
            not fenced
            and _SETEXT.match(line)
            and len(line.strip()) >= 3
            and out
            and out[-1].strip()
            and not out[-1].lstrip().startswith(("#", "-", "*", "|", ">"))
        ):
            out[-1] = ("# " if line.lstrip().startswith("=") else "## ") + out[-1].strip()
            continue
        out.append(line if fenced else _LINK.sub(r"\1", _IMAGE.sub(r"\1", line)))
    return "\n".join(out)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _first_heading(body: str) -> str:
    match = re.search(r"^#{1,2}\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
    return match.group(1).strip() if match else ""


def _stem_title(source: str) -> str:
    stem = PurePath(source.split("?")[0].rstrip("/")).stem
    return re.sub(r"[-_]+", " ", stem).strip() or source


class _HtmlToMarkdown(HTMLParser):
    """Headings become `#` lines and block elements paragraphs; scripts, styles and navigation are dropped."""

    _BLOCKS = frozenset({"p", "div", "section", "article", "li", "tr", "br", "table", "ul", "ol", "pre", "blockquote"})
    _SKIP = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.lang = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in self._BLOCKS:
            self.parts.append("\n" if tag in ("br", "li", "tr") else "\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif re.fullmatch(r"h[1-6]", tag) or tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))

    def markdown(self) -> str:
        """The collected text, paragraphs separated by blank lines."""
        text = "".join(self.parts)
        lines = [line.strip() for line in text.splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
