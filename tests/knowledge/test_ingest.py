"""Ingestion on real components (SQLite and Chroma in tmp_path, the real embedder): incremental by content,
crash-safe and resumable, and tolerant of files it cannot read."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from api.wiring import Services, build_services
from retrieval.chroma_store import ChromaStore
from retrieval.embedder import Vectors
from retrieval.passages import MetadataValue
from retrieval.sentences import passage_sentences, sentence_ids
from settings import BUNDLED_DOCS, Settings

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _services(data_dir: Path) -> Services:
    services = build_services(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    services.db.migrate()
    return services


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    s = _services(tmp_path / "data")
    yield s
    s.close()


def _copy_docs(target: Path, names: Sequence[str]) -> Path:
    for name in names:
        (target / Path(name).parent).mkdir(parents=True, exist_ok=True)
        shutil.copy(BUNDLED_DOCS / name, target / name)
    return target


def _agree(services: Services) -> set[str]:
    """The vector ids, after checking that the database and the vector index hold exactly the same ones, and the
    sentence index exactly the sentence vectors of those passages."""
    in_db = services.documents.vector_ids()
    store = services.ingestor.store
    assert in_db == store.ids()
    sentences = services.ingestor.sentences
    assert sentences is not None
    passages = services.documents.snapshot().passages
    wanted = {i for p in passages for i in sentence_ids(p.vector_id, len(passage_sentences(p)))}
    assert sentences.ids() == wanted
    return in_db


def test_reingesting_unchanged_docs_adds_nothing(services: Services, tmp_path: Path) -> None:
    docs = _copy_docs(tmp_path / "docs", ["zh/faq.md", "en/faq.md", "en/slack-integration.md"])
    first = services.ingestor.ingest_paths([docs])
    assert (first.added, first.updated, first.unchanged, first.skipped) == (3, 0, 0, [])
    ids = _agree(services)
    assert first.chunks_embedded == len(ids) > 10
    assert services.ingestor.sentences is not None
    assert services.ingestor.sentences.count() > len(ids), "help pages have passages of several sentences"

    second = services.ingestor.ingest_paths([docs])
    assert (second.added, second.updated, second.unchanged, second.removed, second.chunks_embedded) == (0, 0, 3, 0, 0)
    assert _agree(services) == ids


def test_changed_docs_are_reembedded_and_deleted_ones_removed(services: Services, tmp_path: Path) -> None:
    docs = _copy_docs(tmp_path / "docs", ["zh/faq.md", "en/faq.md", "en/slack-integration.md"])
    services.ingestor.ingest_paths([docs])
    before = _agree(services)

    slack = docs / "en/slack-integration.md"
    slack.write_text(slack.read_text(encoding="utf-8") + "\n\n## Huddles\n\nHuddles start from the task menu.\n")
    (docs / "zh/faq.md").unlink()
    report = services.ingestor.ingest_paths([docs])

    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 1, 1, 1)
    after = _agree(services)
    assert after and not (after & {v for v in before if not v.startswith(_prefix(services, str(docs / "en/faq.md")))})
    sources = set(services.documents.documents())
    assert sources == {str(docs / "en/faq.md"), str(slack)}
    hit = services.searcher.search("where do huddles start?", top_k=1).hits[0]
    assert hit.passage.source == str(slack) and "Huddles" in hit.passage.text


def test_lost_sentence_vectors_are_repaired_and_strays_deleted(services: Services, tmp_path: Path) -> None:
    docs = _copy_docs(tmp_path / "docs", ["zh/faq.md", "en/faq.md"])
    services.ingestor.ingest_paths([docs])
    sentences = services.ingestor.sentences
    assert sentences is not None
    ids = sorted(sentences.ids())
    lost = ids[::7]
    kept = sentences.vectors(ids[1:2])
    sentences.delete(lost)
    stray = sentence_ids("gone-0000000000000000-00000", 2)
    sentences.upsert(stray, np.vstack([kept[ids[1]]] * 2), [{"source": "gone.md"}] * 2)

    report = services.ingestor.ingest_paths([docs])
    assert (report.unchanged, report.chunks_embedded) == (2, 0)
    assert report.repaired_vectors >= len(lost) + len(stray)
    _agree(services)
    hit = services.searcher.search("忘记密码怎么办", top_k=1).hits[0]
    assert "密码" in hit.passage.text or "password" in hit.passage.text.lower()


def test_switching_sentence_vectors_on_reembeds_every_document(tmp_path: Path) -> None:
    docs = _copy_docs(tmp_path / "docs", ["zh/faq.md", "en/faq.md"])
    settings = Settings(data_dir=tmp_path / "data", sentence_share=0.0, _env_file=None)  # type: ignore[call-arg]
    plain = build_services(settings)
    try:
        plain.db.migrate()
        plain.ingestor.ingest_paths([docs])
        assert plain.ingestor.sentences is None and plain.searcher.sentences is None
    finally:
        plain.close()
    services = _services(tmp_path / "data")
    try:
        report = services.ingestor.ingest_paths([docs])
        assert (report.updated, report.unchanged) == (2, 0)
        assert services.ingestor.sentences is not None and services.ingestor.sentences.count() > 0
        _agree(services)
    finally:
        services.close()


def _prefix(services: Services, source: str) -> str:
    return services.documents.documents()[source].vector_ids[0].split("-")[0]


class _CrashingStore(ChromaStore):
    """The real Chroma store, but the process 'dies' right after the n-th vector write reaches the index."""

    def __init__(self, inner: ChromaStore, crash_on: int) -> None:
        super().__init__(inner.connection, inner.name, inner.embedder, inner.hnsw)
        self.crash_on = crash_on
        self.writes = 0

    def upsert(self, ids: Sequence[str], vectors: Vectors, metadatas: Sequence[dict[str, MetadataValue]]) -> None:  # type: ignore[override]
        super().upsert(ids, vectors, metadatas)
        self.writes += 1
        if self.writes == self.crash_on:
            raise RuntimeError("simulated crash between the vector write and the database commit")


def test_an_interrupted_ingest_leaves_no_half_document_and_resumes(services: Services) -> None:
    ingestor = services.ingestor
    real_store = ingestor.store
    assert isinstance(real_store, ChromaStore)
    ingestor.store = _CrashingStore(real_store, crash_on=2)
    with pytest.raises(RuntimeError, match="simulated crash"):
        ingestor.ingest_paths([BUNDLED_DOCS])

    stored = services.documents.documents()
    assert 0 < len(stored) < 70
    for doc in stored.values():  # every stored document has all its chunks, and their vectors exist
        assert doc.vector_ids
    orphans = real_store.ids() - services.documents.vector_ids()
    assert orphans, "the crash left vectors the database does not know"
    assert not {h.passage.vector_id for h in services.searcher.search("泳道", top_k=20).hits} & orphans

    ingestor.store = real_store
    resumed = ingestor.ingest_paths([BUNDLED_DOCS])
    assert resumed.repaired_vectors >= len(orphans)
    assert (resumed.added, resumed.unchanged) == (70 - len(stored), len(stored))
    assert len(_agree(services)) == real_store.count()
    assert len(services.documents.documents()) == 70


def test_a_killed_ingest_process_resumes_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {**os.environ, "QIAO_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-c", "from api.cli import main; main()", "ingest", str(BUNDLED_DOCS)]
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            stored = _count_documents(data_dir / "qiao.db")
            if stored:
                proc.kill()  # SIGKILL: no cleanup, no atexit, like a power cut
                break
            time.sleep(0.02)
    finally:
        proc.kill()
        _, stderr = proc.communicate(timeout=30)
    assert 0 < stored < 70, f"expected to kill the ingest mid-way (stored={stored}): {stderr.decode()[-500:]}"

    services = _services(data_dir)
    try:
        before = len(services.documents.documents())
        report = services.ingestor.ingest_paths([BUNDLED_DOCS])
        assert (report.added, report.unchanged) == (70 - before, before)
        assert len(_agree(services)) == services.ingestor.store.count()
        assert services.searcher.search("How many swimlanes can a board show?", top_k=1).hits
    finally:
        services.close()


def _count_documents(db_file: Path) -> int:
    if not db_file.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM knowledge_documents").fetchone()[0])
    except sqlite3.OperationalError:  # not migrated yet, or busy
        return 0


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF showing `text` in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_unreadable_files_are_reported_and_skipped_not_fatal(services: Services, tmp_path: Path) -> None:
    docs = tmp_path / "mixed"
    docs.mkdir()
    (docs / "good.md").write_text("# Webhooks\n\nWebhooks retry three times, then give up.\n", encoding="utf-8")
    (docs / "manual.pdf").write_bytes(_pdf("Invoices are issued on the first working day of the month."))
    (docs / "page.html").write_text(
        "<html lang='en'><title>Tags</title><body><h1>Tags</h1><p>A task can carry up to 20 tags.</p></body></html>",
        encoding="utf-8",
    )
    (docs / "notes.txt").write_text("请假超过三天需要部门负责人审批。", encoding="utf-8")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ngarbage\n%%EOF")
    (docs / "blob.md").write_bytes(bytes(range(256)) * 8)
    (docs / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    report = services.ingestor.ingest_paths([docs])

    assert report.added == 4
    skipped = {Path(s.source).name: s for s in report.skipped}
    assert set(skipped) == {"broken.pdf", "blob.md", "photo.png"}
    assert "PDF" in skipped["broken.pdf"].detail and "PDF" in skipped["broken.pdf"].detail_zh
    assert "binary" in skipped["blob.md"].detail and "二进制" in skipped["blob.md"].detail_zh
    assert "unsupported" in skipped["photo.png"].detail
    _agree(services)
    top = services.searcher.search("when are invoices issued?", top_k=1).hits[0]
    assert top.passage.source.endswith("manual.pdf") and top.passage.section == "p. 1"
    assert services.searcher.search("一个任务最多几个标签", top_k=1).hits[0].passage.title == "Tags"
