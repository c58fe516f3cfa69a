"""Ingest requests over HTTP: which server folders a caller may name, and documents posted inline."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from errors import Forbidden, InvalidInput
from knowledge.ingest import Ingestor, IngestReport, SourceItem

Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1024)]


class InlineDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Source = Field(description="Where the document lives (a URL or a name); citations show it.")
    content: str = Field(min_length=1, description="The document: text, or base64 bytes for a PDF.")
    encoding: Literal["text", "base64"] = "text"
    format: Literal["markdown", "html", "text", "pdf"] | None = Field(
        None, description="Default: from the source's extension (.md, .html, .txt, .pdf)."
    )


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paths: list[Source] = Field(
        default_factory=list,
        max_length=100,
        description="Files or folders on the server, inside QIAO_DOCS_DIR or QIAO_INGEST_DIRS. "
        "Nothing at all (no paths, no documents) re-ingests QIAO_DOCS_DIR.",
    )
    documents: list[InlineDocument] = Field(default_factory=list, max_length=100)


class IngestService:
    """Runs ingest requests, reading server paths only inside the folders the deployment allows."""

    def __init__(self, ingestor: Ingestor, docs_dir: Path, allowed_dirs: Sequence[Path] = ()) -> None:
        self.ingestor = ingestor
        self.docs_dir = docs_dir
        self.allowed = [d.resolve() for d in (docs_dir, *allowed_dirs)]

    def ingest(self, request: IngestRequest) -> IngestReport:
        """Ingest what `request` names; raises Forbidden for a path outside the allowed folders."""
        if not request.paths and not request.documents:
            return self.ingestor.ingest_paths([self.docs_dir])
        for raw in request.paths:
            if "\x00" in raw:  # resolve() raises on it, and no file name has one
                raise InvalidInput(
                    f"path {raw!r} contains a NUL character: no file name has one, so check how it was built",
                    f"路径 {raw!r} 含有 NUL 字符：文件名不可能包含它，请检查路径的来源",
                )
            resolved = Path(raw).resolve()
            if not any(resolved.is_relative_to(root) for root in self.allowed):
                raise Forbidden(
                    f"{raw} is outside the folders ingest may read: put it under QIAO_DOCS_DIR or add its folder "
                    "to QIAO_INGEST_DIRS, or post the file in `documents`",
                    f"{raw} 不在允许导入的目录中：请放到 QIAO_DOCS_DIR 下，或把目录加入 QIAO_INGEST_DIRS，"
                    "也可以通过 `documents` 直接提交文件内容",
                )
        report = self.ingestor.ingest_paths(request.paths) if request.paths else IngestReport()
        if request.documents:
            posted = self.ingestor.ingest_items([_item(d) for d in request.documents])
            report = IngestReport(
                added=report.added + posted.added,
                updated=report.updated + posted.updated,
                unchanged=report.unchanged + posted.unchanged,
                removed=report.removed,
                chunks_embedded=report.chunks_embedded + posted.chunks_embedded,
                repaired_vectors=report.repaired_vectors + posted.repaired_vectors,
                skipped=report.skipped + posted.skipped,
            )
        return report


def _item(document: InlineDocument) -> SourceItem:
    if document.encoding == "text":
        data = document.content.encode("utf-8")
    else:
        try:
            data = base64.b64decode(document.content, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(
                f"documents[{document.source}].content is not valid base64: encode the file's bytes with base64",
                f"documents[{document.source}].content 不是有效的 base64：请用 base64 编码文件内容",
            ) from exc
    return SourceItem(source=document.source, data=data, format=document.format)
