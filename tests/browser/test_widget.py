"""The chat widget on the demo page, in real headless Chromium against a real Qiao server: a task created by
typing Chinese and confirmed, a how-to answered with citations, XSS payloads shown as text, the microphone (a
fake capture device playing an espeak-ng clip) and its failures, the phone layout and the keyboard, and the
shadow-root boundary in both directions."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.harness import SPOKEN, Clip, LiveQiao, Pages

pytestmark = pytest.mark.slow

# Records, inside the page, whether the typing indicator ever appeared (it may be gone before Playwright looks).
WATCH_TYPING = """() => {
  window.__qiaoSawTyping = false;
  const root = document.querySelector("qiao-widget").shadowRoot;
  new MutationObserver(() => {
    if (root.querySelector('[data-testid="qiao-typing"]')) window.__qiaoSawTyping = true;
  }).observe(root, { childList: true, subtree: true });
}"""


def open_widget(page: Page) -> None:
    launcher = page.get_by_test_id("qiao-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("qiao-input")).to_be_focused()


def say(page: Page, text: str) -> None:
    box = page.get_by_test_id("qiao-input")
    box.fill(text)
    box.press("Enter")


def messages(page: Page, role: str) -> Locator:
    return page.locator(f'[data-testid="qiao-message"][data-role="{role}"]')


def bubble(message: Locator) -> Locator:
    """The message's own text (without the "You:" / "Qiao:" a screen reader hears before it)."""
    return message.locator(".bubble")


def test_a_task_typed_in_chinese_is_confirmed_written_and_survives_a_reload(
    pages: Pages, api: httpx.Client, qiao: LiveQiao
) -> None:
    def zhangsans_tasks() -> int:
        total: int = api.get("/api/v1/tasks", params={"assignee": "zhangsan", "limit": 1}).json()["total"]
        return total

    start = zhangsans_tasks()
    page = pages.open("zh")
    open_widget(page)
    expect(page.get_by_test_id("qiao-input")).to_have_attribute("placeholder", "给 Qiao 发消息…")
    page.evaluate(WATCH_TYPING)

    with page.expect_response(re.compile(r"/api/v1/chat/stream$")) as streamed:
        say(page, "帮我建个任务：周五前把登录页改版做完，交给张三")
    assert streamed.value.headers["content-type"].startswith("text/event-stream")
    expect(messages(page, "user").last).to_have_text(re.compile("登录页改版"))
    # Qiao asks which project; the answer is a suggestion chip.
    page.get_by_test_id("qiao-suggestion").get_by_text("凤凰", exact=True).click()
    assert page.evaluate("window.__qiaoSawTyping") is True

    preview = page.get_by_test_id("qiao-card-task_preview")
    expect(preview).to_contain_text("登录页改版")
    expect(preview).to_contain_text("张三")
    expect(preview).to_contain_text("凤凰")
    expect(page.get_by_test_id("qiao-action-edit")).to_be_visible()
    expect(page.get_by_test_id("qiao-action-cancel")).to_be_visible()
    assert zhangsans_tasks() == start  # nothing is written before Confirm

    page.get_by_test_id("qiao-action-confirm").click()
    card = page.get_by_test_id("qiao-card-task")
    expect(card).to_contain_text("登录页改版")
    expect(page.get_by_test_id("qiao-action-confirm")).to_be_disabled()
    task_id = int(card.get_attribute("data-task-id") or 0)

    # Written once, and found through the REST API.
    task = api.get(f"/api/v1/tasks/{task_id}").json()
    assert (task["title"], task["assignee_name"], task["project_key"], task["source"]) == (
        "登录页改版",
        "张三",
        "phoenix",
        "chat",
    )
    listed = api.get("/api/v1/tasks", params={"assignee": "zhangsan", "limit": 1000}).json()
    assert listed["total"] == start + 1 and task_id in [t["id"] for t in listed["items"]]
    # The host page heard the widget's qiao:task event and shows the new task on its board.
    expect(page.get_by_test_id("demo-board").locator(f'[data-task-id="{task_id}"]')).to_be_visible()

    # The conversation survives a reload: the session id is in localStorage, the history comes from the server.
    shown = messages(page, "user").count() + messages(page, "assistant").count()
    session_id = page.evaluate("window.Qiao.sessionId")
    page.reload()
    open_widget(page)
    expect(page.get_by_test_id("qiao-card-task")).to_contain_text("登录页改版")
    expect(page.get_by_test_id("qiao-card-task_preview")).to_be_visible()
    assert messages(page, "user").count() + messages(page, "assistant").count() == shown
    assert page.evaluate("window.Qiao.sessionId") == session_id
    expect(messages(page, "user").filter(has_text="确认")).to_have_count(1)  # the pressed button, by its label


def test_a_how_to_question_is_answered_with_citations_that_link_to_the_documents(
    pages: Pages, api: httpx.Client, qiao: LiveQiao
) -> None:
    page = pages.open("en")
    open_widget(page)
    expect(page.get_by_test_id("qiao-launcher")).to_have_attribute("aria-label", "Close the Qiao assistant")
    expect(page.get_by_test_id("qiao-input")).to_have_attribute("placeholder", "Message Qiao…")

    say(page, "How do I set up the leave approval workflow?")
    citations = page.get_by_test_id("qiao-card-citations")
    expect(citations).to_be_visible()
    links = citations.locator("a")
    assert links.count() >= 1
    expect(links.first).to_contain_text(re.compile("leave|approval", re.I))
    expect(citations.locator(".snippet").first).not_to_be_empty()
    href = links.first.get_attribute("href") or ""
    assert href.startswith(f"{qiao.url}/help?source=")
    document = api.get(href)
    assert document.status_code == 200 and document.headers["content-type"].startswith("text/plain")
    assert "approval" in document.text.lower()
    assert messages(page, "assistant").last.get_attribute("data-intent") == "ask_howto"


PAYLOAD_TASK = '<img src=x onerror="window.__qiaoXss=1">Rotate the <b>keys</b>'
PAYLOAD_FEEDBACK = "The app crashes when I open a task named <img src=x onerror=window.__qiaoXss=2>"
PAYLOAD_DOC = """# Zorblax <img src=x onerror=window.__qiaoXss=3> gateway

To configure the zorblax gateway, open Settings, choose Zorblax and paste the token
<script>window.__qiaoXss=4</script> from your administrator. The zorblax gateway then syncs every hour.
"""


def test_payloads_in_a_task_title_a_feedback_text_and_a_document_stay_text(pages: Pages, api: httpx.Client) -> None:
    members = {m["key"]: m["id"] for m in api.get("/api/v1/members").json()}
    projects = {p["key"]: p["id"] for p in api.get("/api/v1/projects").json()}
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    created = api.post(
        "/api/v1/tasks",
        json={
            "title": PAYLOAD_TASK,
            "project_id": projects["apollo"],
            "assignee_id": members["zhaomin"],
            "due": yesterday,
        },
    )
    assert created.status_code == 201, created.text
    ingested = api.post(
        "/api/v1/knowledge/ingest",
        json={"documents": [{"source": "javascript:window.__qiaoXss=5", "content": PAYLOAD_DOC, "format": "markdown"}]},
    )
    assert ingested.status_code == 200, ingested.text

    page = pages.open("en")
    open_widget(page)
    say(page, "How are my tasks going?")  # the overdue task is listed under the progress card
    expect(page.get_by_test_id("qiao-card-progress")).to_be_visible()
    expect(page.get_by_test_id("qiao-card-task_list")).to_contain_text(PAYLOAD_TASK)

    say(page, PAYLOAD_FEEDBACK)
    expect(bubble(messages(page, "user").last)).to_have_text(PAYLOAD_FEEDBACK)
    expect(page.get_by_test_id("qiao-card-feedback").locator("blockquote")).to_have_text(PAYLOAD_FEEDBACK)

    say(page, "How do I configure the zorblax gateway?")
    citations = page.get_by_test_id("qiao-card-citations")
    expect(citations).to_contain_text("<img src=x onerror=window.__qiaoXss=3>")
    link = citations.locator("a").first
    assert (link.get_attribute("href") or "").startswith("http://127.0.0.1:")  # never the javascript: source

    inert = page.evaluate(
        """() => {
          const root = document.querySelector("qiao-widget").shadowRoot;
          return {
            flag: window.__qiaoXss ?? null,
            elements: root.querySelectorAll("img, script, iframe, b, object, embed").length,
            jsLinks: [...root.querySelectorAll("a")].filter((a) => !a.href.startsWith("http")).length,
          };
        }"""
    )
    assert inert == {"flag": None, "elements": 0, "jsLinks": 0}


def test_the_microphone_records_sends_and_shows_the_transcript_and_the_reply(
    pages: Pages, clip: Clip, api: httpx.Client
) -> None:
    page = pages.open("en", microphone=True)
    open_widget(page)
    mic = page.get_by_test_id("qiao-mic")
    expect(mic).to_have_attribute("aria-label", "Voice input")
    mic.click()
    expect(mic).to_have_attribute("aria-pressed", "true")
    expect(mic).to_have_attribute("aria-label", "Stop recording and send")
    expect(page.get_by_test_id("qiao-recording")).to_be_visible()
    expect(page.get_by_test_id("qiao-recording-time")).to_have_text("0:01", timeout=3_000)
    page.wait_for_timeout(clip.seconds * 1000)

    with page.expect_request(re.compile(r"/api/v1/voice$")) as uploaded:
        mic.click()
    assert "multipart/form-data" in (uploaded.value.headers.get("content-type") or "")
    expect(mic).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("qiao-recording")).to_be_hidden()

    heard = bubble(page.locator('[data-testid="qiao-message"][data-voice]'))
    expect(heard).to_have_text(re.compile(r"apollo", re.I), timeout=30_000)
    words = set(re.findall(r"[a-z]+", heard.inner_text().lower()))
    assert words >= set(re.findall(r"[a-z]+", SPOKEN.lower())), words
    expect(page.get_by_test_id("qiao-card-progress")).to_contain_text("tasks in all")
    assert messages(page, "assistant").last.get_attribute("data-intent") == "query_progress"
    expect(bubble(messages(page, "assistant").last)).to_contain_text(re.compile("阿波罗|Apollo"))
    # The server kept the turn in the widget's session, as a voice message with the transcript shown.
    history = api.get(f"/api/v1/chat/{page.evaluate('window.Qiao.sessionId')}").json()["messages"]
    assert (history[0]["role"], history[0]["text"], history[0]["payload"]) == (
        "user",
        heard.inner_text(),
        {"source": "voice"},
    )


def test_a_denied_or_missing_microphone_says_so(pages: Pages) -> None:
    denied = pages.open("en")  # no microphone permission granted: the browser refuses getUserMedia
    open_widget(denied)
    denied.get_by_test_id("qiao-mic").click()
    expect(denied.get_by_test_id("qiao-notice")).to_contain_text("Microphone access was denied")
    expect(denied.get_by_test_id("qiao-mic")).to_have_attribute("aria-pressed", "false")

    def no_media(page: Page) -> None:
        page.add_init_script("Object.defineProperty(navigator, 'mediaDevices', { value: undefined })")

    missing = pages.open("zh", before=no_media)
    open_widget(missing)
    missing.get_by_test_id("qiao-mic").click()
    expect(missing.get_by_test_id("qiao-notice")).to_contain_text("用不了麦克风")


def test_on_a_phone_the_panel_fills_the_screen_and_the_keyboard_drives_it(pages: Pages) -> None:
    page = pages.open("zh", width=375, height=667, phone=True)
    launcher = page.get_by_test_id("qiao-launcher")
    expect(launcher).to_have_attribute("aria-label", "打开 Qiao 助手")
    launcher.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="桥 Qiao 助手")
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("qiao-input")).to_be_focused()
    box = panel.bounding_box()
    assert box is not None and (box["x"], box["width"]) == (0, 375)

    say(page, "凤凰项目进度怎么样")
    progress = page.get_by_test_id("qiao-card-progress")
    expect(progress).to_contain_text("凤凰")
    card = progress.bounding_box()
    assert card is not None and card["x"] >= 0 and card["x"] + card["width"] <= 375
    overflow = page.evaluate(
        """() => { const log = document.querySelector("qiao-widget").shadowRoot.querySelector(".log");
                   return log.scrollWidth - log.clientWidth; }"""
    )
    assert overflow == 0
    # Every control has a name a screen reader can say.
    for testid in ("qiao-input", "qiao-send", "qiao-mic", "qiao-close", "qiao-new"):
        assert page.get_by_test_id(testid).get_attribute("aria-label"), testid

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


HOSTILE_CSS = """
* { font-size: 40px !important; color: red !important; font-family: monospace !important; }
button, textarea, section, div { display: none !important; }
qiao-widget { display: block !important; }
"""


def test_the_shadow_root_keeps_host_css_out_and_widget_css_in(pages: Pages) -> None:
    def hostile(page: Page) -> None:
        page.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => {"
            f"const s = document.createElement('style'); s.textContent = {HOSTILE_CSS!r}; document.head.append(s);"
            "const probe = document.createElement('div'); probe.id = 'probe'; probe.className = 'launcher panel';"
            "document.body.append(probe); });"
        )

    page = pages.open("en", before=hostile)
    open_widget(page)
    box = page.get_by_test_id("qiao-input")
    expect(box).to_be_visible()
    assert box.evaluate("e => getComputedStyle(e).fontFamily") != "monospace"
    assert box.evaluate("e => getComputedStyle(e).fontSize") in ("14px", "16px")
    say(page, "hello")
    expect(messages(page, "assistant").last).to_be_visible()
    # Nothing of the widget's styling reaches the page: its classes mean nothing outside the shadow root.
    probe = page.evaluate(
        "() => { const s = getComputedStyle(document.getElementById('probe')); "
        "return [s.position, s.borderRadius, document.querySelectorAll('link[href*=widget]').length]; }"
    )
    assert probe == ["static", "0px", 0]
