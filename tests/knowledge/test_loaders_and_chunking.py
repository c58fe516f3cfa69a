"""Parsing documents and cutting them into chunks: pure functions, both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from errors import InvalidInput
from knowledge.chunking import Chunker
from knowledge.loaders import UnreadableDocument, format_of, load, normalize_markdown, split_front_matter


def test_front_matter_gives_title_language_and_date() -> None:
    doc = load("zh/faq.md", "---\ntitle: 常见问题\nlang: zh\nupdated: 2026-10-15\n---\n\n# 常见问题\n\n正文。".encode())
    assert (doc.title, doc.language, doc.updated, doc.format) == ("常见问题", "zh", dt.date(2026, 10, 15), "markdown")


def test_nested_front_matter_keys_are_ignored() -> None:
    meta, body = split_front_matter("---\ntitle: Swimlanes\nmenu:\n    main:\n        parent: Using\n---\nText")
    assert meta == {"title": "Swimlanes"} and body == "Text"


def test_setext_headings_links_and_images_are_normalised() -> None:
    text = "Managing Swimlanes\n------------------\n\n![Board](/img.png) see [the docs](x.md)\n\n- a\n---\n"
    assert normalize_markdown(text).splitlines()[:3] == ["## Managing Swimlanes", "", "Board see the docs"]


@pytest.mark.parametrize(
    ("source", "data", "title", "language"),
    [
        (
            "a.html",
            b"<html lang='zh'><title>T</title><h2>X</h2><script>x()</script><p>\xe4\xbd\xa0\xe5\xa5\xbd</p>",
            "T",
            "zh",
        ),
        ("b.htm", b"<h1>Search</h1><nav>menu</nav><p>Use filters to narrow results.</p>", "Search", "en"),
        ("c.txt", "请假三天以上需要审批。".encode(), "c", "zh"),
        ("d-notes.txt", b"Plain English notes.", "d notes", "en"),
    ],
)
def test_html_and_text_are_loaded(source: str, data: bytes, title: str, language: str) -> None:
    doc = load(source, data)
    assert (doc.title, doc.language) == (title, language)
    assert "menu" not in doc.markdown and "x()" not in doc.markdown


@pytest.mark.parametrize(
    ("source", "data", "needle"),
    [
        ("x.md", b"\x00\x01\x02binary", "binary"),
        ("x.md", b"\xff\xfe\xfa bad", "UTF-8"),
        ("x.pdf", b"%PDF-1.4 nothing useful", "PDF"),
        ("x.docx", b"PK\x03\x04", "unsupported"),
        ("x.md", b"   \n", "no text"),
    ],
)
def test_unreadable_documents_say_why(source: str, data: bytes, needle: str) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        load(source, data)
    assert needle in caught.value.detail_en and caught.value.detail_zh
    assert isinstance(caught.value, InvalidInput)


def test_format_of_ignores_query_strings() -> None:
    assert format_of("https://wiki/x/page.html?rev=3") == "html" and format_of("a.PDF") == "pdf"
    assert format_of("photo.png") is None


def test_chunks_follow_headings_and_stay_small() -> None:
    body = "# 看板\n\n## 泳道\n\n" + "泳道把看板横向分组。" * 60 + "\n\n## WIP\n\nLimit work in progress.\n"
    doc = load("zh/boards.md", f"---\ntitle: 看板\n---\n{body}".encode())
    chunks = Chunker(chunk_size=200, chunk_overlap=20).split(doc)
    assert {c.section for c in chunks} == {"泳道", "WIP"}
    assert all(len(c.text) <= 200 for c in chunks)
    lane = [c for c in chunks if c.section == "泳道"]
    assert len(lane) >= 3 and all(c.text.endswith("。") for c in lane)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_code_blocks_are_chunks_of_their_own_indexed_by_section_only() -> None:
    doc = load("api.md", b'# API\n\n## getColorList\n\nReturns colors.\n\n```json\n{"red": {"name": "Red"}}\n```\n')
    chunks = Chunker().split(doc)
    prose, code = chunks
    assert (prose.is_code, code.is_code) == (False, True)
    assert prose.searchable == "Returns colors." and code.searchable == "" and '"red"' in code.text
