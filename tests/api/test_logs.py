"""Structured logs: masking, the access line and request ids through the real app, and a real `qiao serve`."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.logs import JsonFormatter, SkipRelogged, StampRequestId, TextFormatter, logging_config
from api.masking import mask
from tests.processes import free_port, qiao_env, qiao_serve

ROOT = Path(__file__).resolve().parents[2]
FORMAT = JsonFormatter()


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        # Emails / 邮箱
        ("zhang.san@example.com", "z***@example.com"),
        ("请联系 zhang.san@example.com 处理", "请联系 z***@example.com 处理"),
        ("邮箱：li_si+pm@corp.example.cn，谢谢", "邮箱：l***@corp.example.cn，谢谢"),
        ("mail a@b.io and Bob.Smith@Example.COM", "mail a***@b.io and B***@Example.COM"),
        # Chinese mobiles and landlines / 手机与座机
        ("13812345678", "*******5678"),
        ("电话13812345678请回电", "电话*******5678请回电"),
        ("手机：138-1234-5678", "手机：***-****-5678"),
        ("+86 138 1234 5678", "+** *** **** 5678"),
        ("+8613812345678", "+*********5678"),
        ("0086 13812345678", "**** *******5678"),
        ("座机 010-12345678", "座机 ***-****5678"),
        ("(0755) 1234567", "(****) ***4567"),
        # International / 国际号码
        ("call +1 415-555-0100 today", "call +* ***-***-0100 today"),
        ("+1 (415) 555-0100", "+* (***) ***-0100"),
        ("+44 20 7946 0958", "+** ** **** 0958"),
        ("office 415.555.0100", "office ***.***.0100"),
        # Secrets / 密钥与令牌
        ("Authorization: Bearer abc.def-ghi", "Authorization: [redacted]"),
        ("sent Bearer xyz", "sent Bearer [redacted]"),
        ("key qiao_sk_AbC123-x_y was revoked", "key [redacted] was revoked"),
        ("site key qiao_pk_9f8e7d", "site key [redacted]"),
        ("X-Qiao-User-Token: v1.eyJzdWIiOiJ6aGFv.abcdefghijklmnopqrstuvwxyz", "X-Qiao-User-Token: [redacted]"),
        ("/widget?user_token=v1.abcdefghijk.abcdefghijklmnopqrstu&lang=zh", "/widget?user_token=[redacted]&lang=zh"),
        ('{"password": "hunter2", "name": "x"}', '{"password": "[redacted]", "name": "x"}'),
        ("api_key=sk-abcdefghijklmnopqrst", "api_key=[redacted]"),
        ("Cookie: session=abc; theme=dark", "Cookie: [redacted]"),
        ("密码：hunter2，请勿外传", "密码：[redacted]，请勿外传"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "jwt [redacted]"),
        # Left alone / 不应遮盖
        ("2026-11-24", "2026-11-24"),
        ("截止 2026-11-24T10:30:00+08:00", "截止 2026-11-24T10:30:00+08:00"),
        ("周五 10:30 开会", "周五 10:30 开会"),
        ("version 1.2.3, v1.2.3", "version 1.2.3, v1.2.3"),
        ("task 42 moved to done", "task 42 moved to done"),
        ("/api/v1/tasks/1024?limit=100&offset=200", "/api/v1/tasks/1024?limit=100&offset=200"),
        ("created_at=1732406400 ms=1732406400123", "created_at=1732406400 ms=1732406400123"),
        ("client 203.0.113.42 and 2001:db8::1", "client 203.0.113.42 and 2001:db8::1"),
        ("key_id key_138123456789, session 3fa85f64-5717-4562-b3fc-2c963f66afa6",) * 2,
        ("llm_max_tokens=400 pi=3.14159265358979", "llm_max_tokens=400 pi=3.14159265358979"),
        ("the bearer of bad news; password reset page", "the bearer of bad news; password reset page"),
        ("下周五前把登录页改版做完，交给张三", "下周五前把登录页改版做完，交给张三"),
        ("修改密码的页面在哪", "修改密码的页面在哪"),
        ("+1 vote, room 12", "+1 vote, room 12"),
    ],
)
def test_mask(raw: str, masked: str) -> None:
    assert mask(raw) == masked
    assert mask(masked) == masked  # idempotent: a field masked twice (path, then the formatter) reads the same


def _lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[dict[str, Any]]:
    """The records of `logger`, through the JSON formatter and back."""
    return [json.loads(FORMAT.format(r)) for r in caplog.records if r.name == logger]


def test_access_line_is_json_with_the_request_id(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="qiao.access"):
        r = client.get("/healthz")
    assert r.status_code == 200
    [line] = _lines(caplog, "qiao.access")
    assert line["request_id"] == r.headers["X-Request-ID"] and len(line["request_id"]) == 32
    assert line["level"] == "INFO" and line["logger"] == "qiao.access"
    assert line["ts"].endswith("Z") and "T" in line["ts"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["client"] == "testclient"
    assert line["key_id"] is None  # a public probe: no key looked at
    assert line["message"] == "GET /healthz 200"


def test_access_line_names_the_key_not_the_key_itself(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="qiao.access"):
        r = client.get("/api/v1/projects")
    assert r.status_code == 200
    [line] = _lines(caplog, "qiao.access")
    assert line["key_id"].startswith("key_") and line["status"] == 200


@pytest.mark.parametrize("given", ["abc-123_X.y", "a" * 64, "0"])
def test_a_sane_request_id_is_echoed(client: TestClient, caplog: pytest.LogCaptureFixture, given: str) -> None:
    with caplog.at_level(logging.INFO, logger="qiao.access"):
        r = client.get("/healthz", headers={"X-Request-ID": given})
    assert r.headers["X-Request-ID"] == given
    assert _lines(caplog, "qiao.access")[0]["request_id"] == given


@pytest.mark.parametrize("given", ["a" * 65, "has space", "<script>", "a/b", "id;drop", ""])
def test_an_odd_request_id_is_replaced(client: TestClient, caplog: pytest.LogCaptureFixture, given: str) -> None:
    with caplog.at_level(logging.INFO, logger="qiao.access"):
        r = client.get("/healthz", headers={"X-Request-ID": given})
    made = r.headers["X-Request-ID"]
    assert made != given and len(made) == 32 and int(made, 16) >= 0
    [line] = _lines(caplog, "qiao.access")
    assert line["request_id"] == made
    assert not given or given not in json.dumps(line)


def test_query_string_emails_and_phones_are_masked(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    params = {"email": "zhang.san@example.com", "phone": "+86 138 1234 5678", "due": "2026-11-24"}
    with caplog.at_level(logging.INFO, logger="qiao.access"):
        client.get("/healthz", params=params)
    [line] = _lines(caplog, "qiao.access")
    assert line["path"] == "/healthz?email=z***@example.com&phone=+** *** **** 5678&due=2026-11-24"
    text = json.dumps(line, ensure_ascii=False)
    assert "zhang.san" not in text and "1234 5678" not in text and "13812345678" not in text


def test_no_header_value_or_body_reaches_any_log(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    key = client.headers["Authorization"].removeprefix("Bearer ")
    secrets = {
        "X-Qiao-User-Token": "v1.eyJzdWIiOiJ6aGFvbWluIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
        "Cookie": "session=cookie-value-777",
        "X-Qiao-Actor": "actor-value-888",
    }
    with caplog.at_level(logging.DEBUG):
        client.get("/api/v1/projects", headers=secrets)
        client.post("/api/v1/parse", json={"txt": "body-marker-999 13812345678"}, headers=secrets)
        client.get("/api/v1/tasks", headers={"Authorization": "Bearer qiao_sk_not-a-real-key-000"})
    statuses = [line["status"] for line in _lines(caplog, "qiao.access")]
    assert statuses == [200, 422, 401]
    everything = caplog.text + "\n".join(FORMAT.format(r) for r in caplog.records)
    for leaked in (key, key[:16], "not-a-real-key", *secrets.values(), "cookie-value", "body-marker", "13812345678"):
        assert leaked not in everything


def test_body_guard_refusals_are_logged_with_the_id(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="qiao.access"):
        unsupported = client.post(
            "/api/v1/parse", content=b"hello", headers={"Content-Type": "text/plain", "X-Request-ID": "r-415"}
        )
        too_large = client.post("/api/v1/parse", content=b"x" * 1_100_000, headers={"Content-Type": "application/json"})
    assert (unsupported.status_code, unsupported.headers["X-Request-ID"]) == (415, "r-415")
    assert too_large.status_code == 413
    lines = _lines(caplog, "qiao.access")
    assert [(x["status"], x["request_id"]) for x in lines] == [(415, "r-415"), (413, too_large.headers["X-Request-ID"])]


def test_an_unhandled_error_is_logged_once_with_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> None:
        raise RuntimeError("import failed for zhang.san@example.com")

    client.app.add_api_route("/_test/boom", boom)  # type: ignore[attr-defined]
    caller = TestClient(client.app, raise_server_exceptions=False, headers=client.headers)
    with caplog.at_level(logging.INFO):
        r = caller.get("/_test/boom", headers={"Accept-Language": "zh", "X-Request-ID": "boom-1"})
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["X-Request-ID"] == "boom-1" and r.json()["request_id"] == "boom-1"
    [error] = [rec for rec in caplog.records if rec.name == "qiao.error"]
    line = json.loads(FORMAT.format(error))
    assert line["request_id"] == "boom-1" and line["level"] == "ERROR"
    assert "RuntimeError: import failed for z***@example.com" in line["exc_info"]
    assert "zhang.san" not in line["exc_info"]
    [access] = _lines(caplog, "qiao.access")
    assert (access["status"], access["request_id"], access["path"]) == (500, "boom-1", "/_test/boom")
    # The 500 handler's (and, in a server, uvicorn's) copy of the same traceback is dropped by the stderr handler.
    tracebacks = [rec for rec in caplog.records if rec.exc_info]
    assert len(tracebacks) >= 2 and [rec.name for rec in tracebacks if SkipRelogged().filter(rec)] == ["qiao.error"]


def test_records_logged_inside_a_request_carry_its_id(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    def noisy() -> dict[str, str]:  # sync: runs in the threadpool, which must see the request's context
        logging.getLogger("qiao.test").warning("working for 13812345678")
        return {}

    client.app.add_api_route("/_test/noisy", noisy)  # type: ignore[attr-defined]
    caplog.handler.addFilter(StampRequestId())
    with caplog.at_level(logging.INFO):
        r = client.get("/_test/noisy")
        logging.getLogger("qiao.test").warning("after the request")
    inside, after = _lines(caplog, "qiao.test")
    assert inside["request_id"] == r.headers["X-Request-ID"] and inside["message"] == "working for *******5678"
    assert "request_id" not in after


def test_formatters_keep_core_fields_and_mask_extras() -> None:
    record = logging.LogRecord("qiao.x", logging.WARNING, __file__, 1, "to %s", ("a.b@example.com",), None)
    record.__dict__.update(level="spoofed", contact={"phone": "13812345678"}, when=None, tags=("Bearer abcdef",))
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["message"] == "to a***@example.com"
    assert line["contact"] == {"phone": "*******5678"} and line["when"] is None
    assert line["tags"] == ["Bearer [redacted]"]
    text = TextFormatter().format(record)
    assert " WARNING qiao.x: to a***@example.com" in text and "13812345678" not in text


def test_an_unknown_level_says_which_are_known() -> None:
    with pytest.raises(ValueError, match="DEBUG, INFO, WARNING, ERROR, CRITICAL"):
        logging_config("LOUD", "json")
    assert logging_config("warning", "text")["root"]["level"] == "WARNING"


def test_configure_logging_twice_installs_one_handler(tmp_path: Path) -> None:
    # In a child process: configuring the root logger here would take pytest's own log capture away.
    script = (
        "import logging\n"
        "from api.logs import configure_logging\n"
        "configure_logging('info', 'json')\n"
        "configure_logging('INFO', 'json')\n"
        "logging.getLogger('qiao.x').info('mail zhang.san@example.com')\n"
        "logging.getLogger('uvicorn.access').info('uvicorn access line')\n"
        "logging.getLogger('uvicorn.error').info('uvicorn started')\n"
        "logging.getLogger('qiao.x').debug('below the level')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    lines = [json.loads(x) for x in done.stderr.splitlines()]
    assert [(x["logger"], x["message"]) for x in lines] == [
        ("qiao.x", "mail z***@example.com"),
        ("uvicorn.error", "uvicorn started"),
    ]
    assert done.stdout == ""


@pytest.mark.slow
def test_a_real_server_writes_only_json_lines(tmp_path: Path) -> None:
    port = free_port()
    env = qiao_env(tmp_path / "data", QIAO_WARM_START="false")
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    # cwd=tmp_path: no stray .env file is read.
    with (
        out.open("w") as stdout,
        err.open("w") as stderr,
        qiao_serve(env, port, tmp_path, stdout=stdout, stderr=stderr),
    ):
        r = httpx.get(
            f"http://127.0.0.1:{port}/healthz",
            params={"email": "zhang.san@example.com"},
            headers={"X-Request-ID": "live-1", "Authorization": "Bearer qiao_sk_live-secret-value"},
        )
        assert r.headers["X-Request-ID"] == "live-1"
    lines = [json.loads(x) for x in (out.read_text() + err.read_text()).splitlines()]
    loggers = {x["logger"] for x in lines}
    assert "uvicorn.error" in loggers and "uvicorn.access" not in loggers
    [live] = [x for x in lines if x.get("request_id") == "live-1"]
    assert live["logger"] == "qiao.access" and live["status"] == 200 and live["client"] == "127.0.0.1"
    assert live["path"] == "/healthz?email=z***@example.com"
    assert "live-secret-value" not in out.read_text() + err.read_text()
