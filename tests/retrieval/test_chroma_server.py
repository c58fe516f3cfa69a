"""Server mode: with QIAO_CHROMA_URL set, vectors live in a `chroma run` server (HttpClient), not in the data dir."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.wiring import build_services
from errors import BackendUnavailable
from retrieval.passages import SearchFilters
from settings import Settings

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real `chroma run` on a loopback port; yields its URL."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chroma CLI (installed with chromadb) is missing"
    port = _free_port()
    command = [chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None and time.monotonic() < deadline, "chroma run did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_server_mode_ingests_and_searches_with_filters(chroma_server: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_server, _env_file=None)  # type: ignore[call-arg]
    services = build_services(settings)
    try:
        services.db.migrate()
        docs = settings.docs_dir
        report = services.ingestor.ingest_paths([docs / "en" / "faq.md", docs / "zh" / "faq.md"])
        assert report.added == 2
        assert not (tmp_path / "data" / "chroma").exists()
        assert services.ingestor.store.count() == len(services.documents.vector_ids())

        zh_only = services.searcher.search("forgot my password", top_k=5, filters=SearchFilters(language="zh"))
        assert zh_only.hits and {h.passage.language for h in zh_only.hits} == {"zh"}
        assert all(h.passage.source.endswith("zh/faq.md") for h in zh_only.hits)
    finally:
        services.close()


def test_an_unreachable_server_is_a_clear_503(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    services = build_services(Settings(data_dir=tmp_path, chroma_url=url, _env_file=None))  # type: ignore[call-arg]
    try:
        with pytest.raises(BackendUnavailable) as caught:
            services.ingestor.store.count()
        assert caught.value.status == 503 and "chroma run" in caught.value.detail_en
        assert "QIAO_CHROMA_URL" in caught.value.detail_zh
    finally:
        services.close()
