/*! Qiao 桥 chat widget — one file, no build step, no dependencies (docs/widget.md).
 *
 *   <script src="https://HOST/widget.js" data-qiao-key="qiao_pk_…" data-qiao-user-token="v1.…" data-lang="zh" async></script>
 *
 * data-qiao-key is a publishable site key (chat and voice only, from its origins); data-qiao-user-token is the
 * visitor's identity, signed by the host page's server (docs/security.md). Qiao.setUserToken(token) renews it.
 *
 * Everything lives in an open shadow root on a <qiao-widget> element. Every string that comes from the server is
 * set with textContent or an attribute, never parsed as HTML: a task title, a feedback text or a help document
 * can't inject markup or script.
 */
(() => {
  "use strict";

  if (window.Qiao && window.Qiao.version) return; // loaded twice: keep the first

  const script = document.currentScript;
  const data = (name) => (script && script.getAttribute(name)) || "";
  const scriptUrl = new URL((script && script.src) || "widget.js", document.baseURI);
  const apiBase = new URL(data("data-qiao-api") || ".", scriptUrl);
  // The token's payload is not secret (only its signature is checked, by the server): read who it names, so each
  // person's conversation is kept apart in this browser's storage.
  const tokenSubject = (token) => {
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return String(JSON.parse(atob(payload)).sub || "");
    } catch {
      return "";
    }
  };
  const config = {
    key: data("data-qiao-key"),
    userToken: data("data-qiao-user-token"),
    user: data("data-qiao-user") || tokenSubject(data("data-qiao-user-token")),
    voiceLang: ["zh", "en"].includes(data("data-voice-lang")) ? data("data-voice-lang") : "",
    position: data("data-position") === "left" ? "left" : "right",
    open: data("data-open") === "true",
  };
  const MAX_RECORDING_SECONDS = 60;
  const STORAGE_KEY = `qiao:session:${config.key || "default"}:${config.user || "anonymous"}`;

  // UI strings ---------------------------------------------------------------------------------------------
  const STRINGS = {
    zh: {
      title: "桥 Qiao 助手",
      subtitle: "建任务 · 查进度 · 反馈问题 · 问用法",
      open: "打开 Qiao 助手",
      close: "关闭 Qiao 助手",
      newChat: "开始新对话",
      log: "与 Qiao 的对话",
      input: "给 Qiao 发消息",
      placeholder: "给 Qiao 发消息…",
      send: "发送",
      mic: "语音输入",
      micStop: "停止录音并发送",
      recording: "正在录音",
      recordingHint: "再次点击麦克风发送，Esc 取消",
      transcribing: "正在识别语音…",
      typing: "Qiao 正在输入",
      footer: "回车发送 · Shift+回车换行 · 确认前请核对预览",
      greeting: "你好，我是 Qiao（桥）。我可以帮你建任务、查进度、反馈问题，或者在帮助文档里找答案。",
      starters: ["帮我建个任务", "我的任务进度怎么样", "请假审批怎么配置"],
      you: "你",
      qiao: "Qiao",
      micUnavailable:
        "这个浏览器或页面用不了麦克风：语音输入需要 HTTPS（或本机 localhost）和支持 MediaRecorder 的浏览器。请改用文字输入。",
      micDenied: "没有麦克风权限：请在浏览器的网站设置里允许本站使用麦克风，然后再试一次；也可以直接打字。",
      micMissing: "没有找到麦克风：请连接麦克风后再试，或直接打字。",
      micBusy: "麦克风被其他程序占用：关闭占用它的程序后再试，或直接打字。",
      micFailed: "无法开始录音：",
      tooShort: "录音太短，没有发送。按住说完整句话再点一次麦克风。",
      voiceFailed: "语音没有识别成功：",
      failed: "出错了：",
      offline: "连不上 Qiao 服务器，请检查网络后重试。",
      retry: "重试",
      actionHint: "已选择",
      newTask: "新任务预览",
      updateTask: "修改任务 #{id}",
      task: "任务 #{id}",
      project: "项目",
      assignee: "负责人",
      due: "截止",
      priority: "优先级",
      status: "状态",
      progress: "进度",
      none: "—",
      changes: "高亮的是将要修改的字段",
      tasks: "{n} 个任务",
      noTasks: "没有任务",
      total: "共 {n} 个任务",
      overdue: "逾期 {n}",
      due_this_week: "本周到期 {n}",
      at_risk: "有风险 {n}",
      ticket: "反馈 #{id}",
      draftTicket: "反馈预览（待提交）",
      kind: "类型",
      severity: "严重程度",
      sla: "响应时限",
      duplicateOf: "关联到 #{id}",
      similar: "类似的反馈",
      fix: "解决办法：",
      sources: "参考文档",
      ungrounded: "没有找到足够相关的文档，以下仅供参考",
      noSources: "没有可引用的文档",
      statusNames: { todo: "待办", in_progress: "进行中", blocked: "受阻", done: "已完成" },
      priorityNames: { urgent: "紧急", high: "高", medium: "中", low: "低" },
      kindNames: { bug: "缺陷", feature_request: "需求", complaint: "投诉", question: "咨询", praise: "表扬" },
      severityNames: { critical: "严重", high: "高", medium: "中", low: "低" },
      ticketStatusNames: { draft: "待提交", open: "待处理", triaged: "已分派", resolved: "已解决" },
    },
    en: {
      title: "Qiao 桥 assistant",
      subtitle: "Tasks · progress · feedback · how-to",
      open: "Open the Qiao assistant",
      close: "Close the Qiao assistant",
      newChat: "Start a new conversation",
      log: "Conversation with Qiao",
      input: "Message Qiao",
      placeholder: "Message Qiao…",
      send: "Send",
      mic: "Voice input",
      micStop: "Stop recording and send",
      recording: "Recording",
      recordingHint: "click the microphone again to send, Esc to cancel",
      transcribing: "Transcribing…",
      typing: "Qiao is typing",
      footer: "Enter sends · Shift+Enter for a new line",
      greeting: "Hi, I'm Qiao (桥). I can create tasks, report progress, file feedback and find answers in the help docs.",
      starters: ["Create a task", "How are my tasks going?", "How do I set up leave approval?"],
      you: "You",
      qiao: "Qiao",
      micUnavailable:
        "The microphone isn't available here: voice input needs HTTPS (or localhost) and a browser with MediaRecorder. Please type instead.",
      micDenied:
        "Microphone access was denied: allow this site to use the microphone in the browser's site settings and try again, or type instead.",
      micMissing: "No microphone was found: connect one and try again, or type instead.",
      micBusy: "The microphone is in use by another program: close it and try again, or type instead.",
      micFailed: "Could not start recording: ",
      tooShort: "The recording was too short and was not sent. Say the whole sentence, then click the microphone.",
      voiceFailed: "The recording could not be understood: ",
      failed: "Something went wrong: ",
      offline: "Can't reach the Qiao server: check the connection and try again.",
      retry: "Retry",
      actionHint: "Chosen",
      newTask: "New task preview",
      updateTask: "Changes to task #{id}",
      task: "Task #{id}",
      project: "Project",
      assignee: "Assignee",
      due: "Due",
      priority: "Priority",
      status: "Status",
      progress: "Progress",
      none: "—",
      changes: "Highlighted fields will change",
      tasks: "{n} tasks",
      noTasks: "No tasks",
      total: "{n} tasks in all",
      overdue: "{n} overdue",
      due_this_week: "{n} due this week",
      at_risk: "{n} at risk",
      ticket: "Feedback #{id}",
      draftTicket: "Feedback preview (not filed yet)",
      kind: "Kind",
      severity: "Severity",
      sla: "Respond by",
      duplicateOf: "Linked to #{id}",
      similar: "Similar reports",
      fix: "Fix: ",
      sources: "Sources",
      ungrounded: "Nothing relevant enough was found; these are the closest passages",
      noSources: "No documents to cite",
      statusNames: { todo: "To do", in_progress: "In progress", blocked: "Blocked", done: "Done" },
      priorityNames: { urgent: "Urgent", high: "High", medium: "Medium", low: "Low" },
      kindNames: {
        bug: "Bug",
        feature_request: "Feature request",
        complaint: "Complaint",
        question: "Question",
        praise: "Praise",
      },
      severityNames: { critical: "Critical", high: "High", medium: "Medium", low: "Low" },
      ticketStatusNames: { draft: "Draft", open: "Open", triaged: "Triaged", resolved: "Resolved" },
    },
  };

  const pickLang = (value) => {
    const v = String(value || "").toLowerCase();
    if (v.startsWith("zh")) return "zh";
    if (v.startsWith("en")) return "en";
    return "";
  };
  let lang =
    pickLang(data("data-lang")) ||
    pickLang(document.documentElement.lang) ||
    (navigator.languages || [navigator.language]).map(pickLang).find(Boolean) ||
    "en";
  const t = (key, vars) => {
    let text = STRINGS[lang][key];
    for (const [name, value] of Object.entries(vars || {})) text = text.replace(`{${name}}`, String(value));
    return text;
  };
  const named = (table, value) => (value == null ? t("none") : STRINGS[lang][table][value] || String(value));

  // DOM helpers: text only -----------------------------------------------------------------------------------
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name === "testid") node.setAttribute("data-testid", value);
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child == null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  };
  const SVG = "http://www.w3.org/2000/svg";
  const icon = (...paths) => {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("fill", "none");
    svg.setAttribute("stroke", "currentColor");
    svg.setAttribute("stroke-width", "2");
    svg.setAttribute("stroke-linecap", "round");
    svg.setAttribute("stroke-linejoin", "round");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    for (const d of paths) {
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      svg.append(path);
    }
    return svg;
  };
  const ICONS = {
    chat: ["M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z", "M8.5 12h.01M12 12h.01M15.5 12h.01"],
    close: ["M6 6l12 12", "M18 6L6 18"],
    reset: ["M3 12a9 9 0 1 0 3-6.7", "M3 4v5h5"],
    send: ["M22 2L11 13", "M22 2l-7 20-4-9-9-4 20-7z"],
    mic: ["M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z", "M19 11a7 7 0 0 1-14 0", "M12 18v3"],
    stop: ["M7 7h10v10H7z"],
  };
  const webUrl = (value) => {
    // Only http(s) links: a document's source could be "javascript:…".
    try {
      const url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  };
  const formatDate = (value) => {
    if (!value) return t("none");
    const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
    if (Number.isNaN(date.getTime())) return String(value);
    const locale = lang === "zh" ? "zh-CN" : "en";
    const options =
      value.length === 10
        ? { month: "short", day: "numeric", weekday: "short" }
        : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
    return date.toLocaleString(locale, options);
  };
  const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

  // HTTP -----------------------------------------------------------------------------------------------------
  const headers = (json) => {
    const h = { Accept: "application/json", "Accept-Language": lang };
    if (json) h["Content-Type"] = "application/json";
    if (config.key) h.Authorization = `Bearer ${config.key}`;
    if (config.userToken) h["X-Qiao-User-Token"] = config.userToken;
    return h;
  };
  const endpoint = (path) => new URL(path.replace(/^\//, ""), apiBase).href;

  class ProblemError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
  }

  const problemOf = async (response) => {
    let detail = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      detail = body.detail || body.title || detail;
      if (Array.isArray(detail)) detail = detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
    } catch {
      /* not JSON: keep the status */
    }
    return new ProblemError(response.status, String(detail));
  };

  const request = async (path, options) => {
    let response;
    try {
      response = await fetch(endpoint(path), { credentials: "same-origin", ...options });
    } catch {
      throw new ProblemError(0, t("offline"));
    }
    if (!response.ok) throw await problemOf(response);
    return response;
  };

  // Server-sent events from a POST: `delta` events, then one `turn` event.
  const readEvents = async (response, onEvent) => {
    const handle = (block) => {
      let name = "message";
      const lines = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) lines.push(line.slice(5).replace(/^ /, ""));
      }
      if (lines.length) onEvent(name, JSON.parse(lines.join("\n")));
    };
    let buffer = "";
    const feed = (text) => {
      buffer += text.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        handle(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    };
    if (response.body && response.body.getReader) {
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        feed(decoder.decode(value, { stream: true }));
      }
      feed(decoder.decode());
    } else {
      feed(await response.text());
    }
    if (buffer.trim()) handle(buffer);
  };

  const storage = {
    get() {
      try {
        return window.localStorage.getItem(STORAGE_KEY);
      } catch {
        return null; // storage blocked (private mode, sandboxed frame): the conversation lasts this page only
      }
    },
    set(value) {
      try {
        if (value) window.localStorage.setItem(STORAGE_KEY, value);
        else window.localStorage.removeItem(STORAGE_KEY);
      } catch {
        /* see get() */
      }
    },
  };

  // The widget -----------------------------------------------------------------------------------------------
  const host = document.createElement("qiao-widget");
  host.setAttribute("data-testid", "qiao-widget");
  const root = host.attachShadow({ mode: "open" });
  const stylesheet = el("link", { rel: "stylesheet", href: new URL("widget.css", scriptUrl).href });
  const shell = el("div", { class: "qiao", "data-position": config.position, hidden: true });
  // Shown once the stylesheet is in (or failed: unstyled but usable beats invisible).
  stylesheet.addEventListener("load", () => (shell.hidden = false));
  stylesheet.addEventListener("error", () => {
    shell.hidden = false;
    console.warn("Qiao: widget.css did not load from", stylesheet.href);
  });

  const ids = { panel: "qiao-panel", title: "qiao-title", log: "qiao-log", hint: "qiao-hint" };
  const launcher = el("button", {
    class: "launcher",
    type: "button",
    testid: "qiao-launcher",
    "aria-controls": ids.panel,
    "aria-expanded": "false",
  });
  launcher.append(icon(...ICONS.chat));

  const title = el("h2", { id: ids.title });
  const subtitle = el("p");
  const resetButton = el("button", { class: "icon-button", type: "button", testid: "qiao-new" }, icon(...ICONS.reset));
  const closeButton = el("button", { class: "icon-button", type: "button", testid: "qiao-close" }, icon(...ICONS.close));
  const log = el("div", { class: "log", id: ids.log, role: "log", "aria-live": "polite", testid: "qiao-log" });
  const recordingBar = el("div", { class: "recording", hidden: true, testid: "qiao-recording", role: "status" });
  const recordingDot = el("span", { class: "dot", "aria-hidden": "true" });
  const recordingText = el("span");
  const recordingTime = el("span", { testid: "qiao-recording-time" });
  recordingBar.append(recordingDot, recordingText, recordingTime);
  const input = el("textarea", { rows: "1", testid: "qiao-input", "aria-describedby": ids.hint, maxlength: "2000" });
  const micButton = el("button", { class: "icon-button mic", type: "button", testid: "qiao-mic", "aria-pressed": "false" });
  micButton.append(icon(...ICONS.mic));
  const sendButton = el("button", { class: "icon-button send", type: "submit", testid: "qiao-send" }, icon(...ICONS.send));
  const footer = el("p", { class: "footer", id: ids.hint });
  const form = el("form", { class: "composer" }, recordingBar, el("div", { class: "row" }, input, micButton, sendButton), footer);
  const panel = el(
    "section",
    { class: "panel", id: ids.panel, role: "dialog", "aria-modal": "false", "aria-labelledby": ids.title, hidden: true },
    el("header", { class: "header" }, el("div", { class: "titles" }, title, subtitle), resetButton, closeButton),
    log,
    form,
  );
  shell.append(panel, launcher);
  root.append(stylesheet, shell);

  const applyStrings = () => {
    shell.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
    title.textContent = t("title");
    subtitle.textContent = t("subtitle");
    launcher.setAttribute("aria-label", panel.hidden ? t("open") : t("close"));
    launcher.title = launcher.getAttribute("aria-label");
    resetButton.setAttribute("aria-label", t("newChat"));
    resetButton.title = t("newChat");
    closeButton.setAttribute("aria-label", t("close"));
    closeButton.title = t("close");
    log.setAttribute("aria-label", t("log"));
    input.setAttribute("aria-label", t("input"));
    input.placeholder = t("placeholder");
    sendButton.setAttribute("aria-label", t("send"));
    sendButton.title = t("send");
    const recording = micButton.getAttribute("aria-pressed") === "true";
    micButton.setAttribute("aria-label", recording ? t("micStop") : t("mic"));
    micButton.title = micButton.getAttribute("aria-label");
    recordingText.textContent = `${t("recording")} · ${t("recordingHint")}`;
    footer.textContent = t("footer");
  };

  // State ----------------------------------------------------------------------------------------------------
  let sessionId = storage.get();
  let busy = false;
  let restored = false;

  const scrollDown = () => {
    log.scrollTop = log.scrollHeight;
  };
  // A reply taller than the log is shown from its start, so it reads top-down; a short one scrolls to the end.
  const reveal = (message) => {
    const top = message.offsetTop - 8;
    log.scrollTop = message.offsetHeight > log.clientHeight ? top : log.scrollHeight;
  };
  const setBusy = (value) => {
    busy = value;
    sendButton.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
  };
  const emit = (name, detail) => {
    // For the host page (e.g. refresh a task board after a task is written).
    document.dispatchEvent(new CustomEvent(`qiao:${name}`, { detail }));
  };

  // Messages -------------------------------------------------------------------------------------------------
  const addMessage = (role, text, extra) => {
    const bubble = el("div", { class: "bubble", text });
    const message = el(
      "article",
      { class: `message ${role}${extra && extra.pending ? " pending" : ""}`, testid: "qiao-message", "data-role": role },
      el("span", { class: "sr-only", text: role === "user" ? `${t("you")}:` : `${t("qiao")}:` }),
      bubble,
    );
    log.append(message);
    scrollDown();
    return { message, bubble };
  };

  const addNotice = (text, retry) => {
    const { message, bubble } = addMessage("notice", text);
    message.setAttribute("role", "alert");
    message.setAttribute("data-testid", "qiao-notice");
    if (retry) {
      const again = el("button", { class: "chip", type: "button", text: t("retry") });
      again.addEventListener("click", () => {
        message.remove();
        retry();
      });
      bubble.after(el("div", { class: "chips" }, again));
    }
    return message;
  };

  let typingNode = null;
  const showTyping = () => {
    if (typingNode) return;
    const dots = el("div", { class: "bubble typing" }, el("span"), el("span"), el("span"));
    typingNode = el(
      "div",
      { class: "message assistant", testid: "qiao-typing", role: "status", "aria-label": t("typing") },
      dots,
    );
    log.append(typingNode);
    scrollDown();
  };
  const hideTyping = () => {
    if (typingNode) typingNode.remove();
    typingNode = null;
  };

  const clearChips = () => {
    for (const chips of log.querySelectorAll(".chips.suggestions")) chips.remove();
  };
  const disableActions = () => {
    for (const button of log.querySelectorAll(".actions button")) button.disabled = true;
  };

  // Cards ----------------------------------------------------------------------------------------------------
  const card = (type, ...children) => el("section", { class: `card ${type}`, testid: `qiao-card-${type}` }, ...children);
  const fields = (rows) => {
    const list = el("dl");
    for (const [label, value, changed] of rows) {
      list.append(el("dt", { text: label }), el("dd", { class: changed ? "changed" : null }, value));
    }
    return list;
  };
  const badge = (value, table) => el("span", { class: `badge ${value || ""}`, text: named(table, value) });
  const meter = (percent, label, tone) => {
    const value = Math.max(0, Math.min(100, Number(percent) || 0));
    const bar = el("div", {
      class: "meter",
      role: "progressbar",
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-valuenow": String(value),
      "aria-label": label,
    });
    const fill = el("span", { class: tone || null });
    fill.style.width = `${value}%`;
    bar.append(fill);
    return bar;
  };
  const progressField = (percent) =>
    el("div", {}, meter(percent, t("progress")), el("span", { class: "note", text: `${Number(percent) || 0}%` }));

  const taskPreviewCard = (c) => {
    const changes = new Set(c.changes || []);
    const changed = (...names) => names.some((n) => changes.has(n));
    const rows = [
      [t("project"), c.project || t("none"), changed("project", "project_id")],
      [t("assignee"), c.assignee || t("none"), changed("assignee", "assignee_id")],
      [t("due"), formatDate(c.due), changed("due")],
      [t("priority"), named("priorityNames", c.priority), changed("priority")],
    ];
    if (c.status != null || changed("status")) rows.push([t("status"), named("statusNames", c.status), changed("status")]);
    if (c.progress != null || changed("progress")) rows.push([t("progress"), `${c.progress ?? 0}%`, changed("progress")]);
    const node = card(
      "task_preview",
      el("span", { class: "kicker", text: c.task_id ? t("updateTask", { id: c.task_id }) : t("newTask") }),
      el("h3", { class: changed("title") ? "changed" : null, text: c.title || t("none") }),
      fields(rows),
    );
    if (changes.size) node.append(el("p", { class: "note", text: t("changes") }));
    return node;
  };

  const taskCard = (c) => {
    const task = c.task || {};
    const node = card(
      "task",
      el("span", { class: "kicker", text: t("task", { id: task.id }) }),
      el("h3", { text: task.title }),
      fields([
        [t("project"), task.project_key || String(task.project_id ?? t("none"))],
        [t("assignee"), task.assignee_name || t("none")],
        [t("due"), formatDate(task.due)],
        [t("status"), badge(task.status, "statusNames")],
        [t("priority"), badge(task.priority, "priorityNames")],
        [t("progress"), progressField(task.progress)],
      ]),
    );
    node.setAttribute("data-task-id", String(task.id));
    return node;
  };

  const taskRow = (task) => {
    const meta = [task.assignee_name, task.due ? `${t("due")} ${formatDate(task.due)}` : null, task.project_key]
      .filter(Boolean)
      .join(" · ");
    const row = el(
      "li",
      { class: "task-row", "data-task-id": String(task.id) },
      el("span", { class: "title", text: `#${task.id} ${task.title}` }),
      badge(task.status, "statusNames"),
      el("span", { class: "meta", text: meta }),
    );
    if (task.progress) row.append(el("div", { class: "meta" }, meter(task.progress, `${t("progress")} ${task.title}`)));
    return row;
  };

  const taskListCard = (c) => {
    const tasks = c.tasks || [];
    const list = el("ul", {});
    for (const task of tasks) list.append(taskRow(task));
    return card(
      "task_list",
      el("span", { class: "kicker", text: tasks.length ? t("tasks", { n: tasks.length }) : t("noTasks") }),
      el("h3", { text: c.title }),
      list,
    );
  };

  const progressCard = (c) => {
    const total = Number(c.total) || 0;
    const parts = ["done", "in_progress", "blocked", "todo"];
    const stacked = el("div", { class: "stacked", "aria-hidden": "true" });
    const bars = el("div", { class: "bars" });
    for (const part of parts) {
      const n = Number(c[part]) || 0;
      const share = total ? (100 * n) / total : 0;
      const segment = el("span", { class: `seg-${part}`, title: `${named("statusNames", part)} ${n}` });
      segment.style.width = `${share}%`;
      stacked.append(segment);
      bars.append(
        el("span", {}, el("span", { class: `swatch seg-${part}`, "aria-hidden": "true" }), named("statusNames", part)),
        meter(share, `${named("statusNames", part)} ${n}/${total}`, `seg-${part}`),
        el("span", { class: "count", text: String(n) }),
      );
    }
    const flags = el("div", { class: "flags" });
    for (const flag of ["overdue", "due_this_week", "at_risk"]) {
      const n = Number(c[flag]) || 0;
      flags.append(el("span", { class: `badge ${n && flag !== "due_this_week" ? "overdue" : ""}`, text: t(flag, { n }) }));
    }
    return card(
      "progress",
      el("span", { class: "kicker", text: t("total", { n: total }) }),
      el("h3", { text: c.name }),
      stacked,
      bars,
      flags,
      c.rule ? el("p", { class: "note", text: c.rule }) : null,
    );
  };

  const feedbackCard = (c) => {
    const rows = [
      [t("kind"), badge(c.kind, "kindNames")],
      [t("severity"), badge(c.severity, "severityNames")],
      [t("status"), named("ticketStatusNames", c.status)],
    ];
    if (c.sla_due) rows.push([t("sla"), formatDate(c.sla_due)]);
    const node = card(
      "feedback",
      el("span", { class: "kicker", text: c.ticket_id ? t("ticket", { id: c.ticket_id }) : t("draftTicket") }),
      el("blockquote", { class: "quote", text: c.text }),
      fields(rows),
    );
    if (c.duplicate_of) node.append(el("p", { class: "note", text: t("duplicateOf", { id: c.duplicate_of }) }));
    if (c.similar && c.similar.length) {
      const list = el("ul", { class: "similar" });
      for (const s of c.similar) {
        list.append(
          el(
            "li",
            {},
            `#${s.id} `,
            s.text,
            " ",
            badge(s.status, "ticketStatusNames"),
            s.resolution ? el("span", { class: "fix", text: `${t("fix")}${s.resolution}` }) : null,
          ),
        );
      }
      node.append(el("p", { class: "note", text: t("similar") }), list);
    }
    if (c.ticket_id) node.setAttribute("data-ticket-id", String(c.ticket_id));
    return node;
  };

  const citationsCard = (c) => {
    const list = el("ol", { class: "citations" });
    for (const cite of c.citations || []) {
      const heading = cite.section ? [cite.title, el("span", { class: "section", text: ` · ${cite.section}` })] : [cite.title];
      // A web source links to itself; a file the server ingested links to the server's copy (GET /help).
      const href = webUrl(cite.source) || endpoint(`help?source=${encodeURIComponent(cite.source)}`);
      const link = el("a", { href, target: "_blank", rel: "noopener noreferrer", title: cite.source }, ...heading);
      list.append(el("li", {}, link, el("span", { class: "snippet", text: cite.snippet })));
    }
    return card(
      "citations",
      el("span", { class: "kicker", text: t("sources") }),
      c.grounded === false ? el("p", { class: "note", text: t("ungrounded") }) : null,
      (c.citations || []).length ? list : el("p", { class: "note", text: t("noSources") }),
    );
  };

  const RENDERERS = {
    task_preview: taskPreviewCard,
    task: taskCard,
    task_list: taskListCard,
    progress: progressCard,
    feedback: feedbackCard,
    citations: citationsCard,
  };
  const renderCard = (c) => {
    const render = RENDERERS[c && c.type];
    if (render) return render(c);
    // A card type newer than this widget: show what it is rather than nothing.
    return card(String((c && c.type) || "unknown"), el("pre", { class: "note", text: JSON.stringify(c, null, 2) }));
  };

  // A turn from the server: reply text, cards, buttons, suggestions.
  const renderTurn = (turn, target, { live } = { live: true }) => {
    const { message, bubble } = target || addMessage("assistant", "");
    bubble.textContent = turn.reply || "";
    message.setAttribute("data-intent", turn.intent || "");
    message.setAttribute("lang", turn.language === "zh" ? "zh-CN" : "en");
    for (const c of turn.cards || []) message.append(renderCard(c));
    message.classList.toggle("with-cards", (turn.cards || []).length > 0);
    if (live && (turn.actions || []).length) {
      disableActions();
      const row = el("div", { class: "actions", role: "group" });
      for (const action of turn.actions) {
        const button = el("button", {
          class: `action ${action.kind}`,
          type: "button",
          testid: `qiao-action-${action.kind}`,
          "data-action-id": action.id,
          "aria-pressed": "false",
          text: action.label,
        });
        button.addEventListener("click", () => press(action, button, row));
        row.append(button);
      }
      message.append(row);
    }
    if (live && (turn.suggestions || []).length) {
      clearChips();
      message.append(suggestionChips(turn.suggestions));
    }
    reveal(message);
    return message;
  };

  const suggestionChips = (suggestions) => {
    const chips = el("div", { class: "chips suggestions", role: "group" });
    for (const text of suggestions) {
      chips.append(
        el("button", {
          class: "chip",
          type: "button",
          testid: "qiao-suggestion",
          text,
          onclick: () => {
            if (!busy) send(text);
          },
        }),
      );
    }
    return chips;
  };

  const greet = () => {
    const { message } = addMessage("assistant", t("greeting"));
    message.setAttribute("data-greeting", "");
    message.append(suggestionChips(t("starters")));
  };

  const remember = (turn) => {
    if (turn && turn.session_id && turn.session_id !== sessionId) {
      sessionId = turn.session_id;
      storage.set(sessionId);
    }
  };

  const afterTurn = (turn) => {
    remember(turn);
    emit("turn", turn);
    for (const c of turn.cards || []) {
      if (c.type === "task" && c.task) emit("task", c.task);
      if (c.type === "feedback" && c.ticket_id) emit("feedback", c);
    }
  };

  // Sending --------------------------------------------------------------------------------------------------
  const chatBody = (text) => {
    const body = { text };
    if (sessionId) body.session_id = sessionId;
    if (config.user) body.user = config.user;
    return JSON.stringify(body);
  };

  const streamTurn = async (text) => {
    showTyping();
    let target = null;
    let turn = null;
    try {
      const response = await request("/api/v1/chat/stream", {
        method: "POST",
        headers: { ...headers(true), Accept: "text/event-stream" },
        body: chatBody(text),
      });
      await readEvents(response, (event, payload) => {
        if (event === "delta") {
          if (!target) {
            hideTyping();
            target = addMessage("assistant", "");
            target.message.setAttribute("aria-busy", "true");
          }
          target.bubble.textContent += payload.text || "";
          scrollDown();
        } else if (event === "turn") {
          turn = payload;
        }
      });
      hideTyping();
      if (!turn) throw new ProblemError(0, t("offline"));
      if (target) target.message.removeAttribute("aria-busy");
      renderTurn(turn, target);
      afterTurn(turn);
    } catch (error) {
      hideTyping();
      if (target && !turn) target.message.remove();
      throw error;
    }
  };

  const send = async (raw) => {
    const text = String(raw || "").trim();
    if (!text || busy) return;
    setBusy(true);
    clearChips();
    disableActions();
    addMessage("user", text);
    try {
      await streamTurn(text);
    } catch (error) {
      addNotice(`${t("failed")}${error.message}`, error.status === 0 ? () => resend(text) : null);
    } finally {
      setBusy(false);
    }
  };

  const resend = async (text) => {
    if (busy) return;
    setBusy(true);
    try {
      await streamTurn(text);
    } catch (error) {
      addNotice(`${t("failed")}${error.message}`, error.status === 0 ? () => resend(text) : null);
    } finally {
      setBusy(false);
    }
  };

  const press = async (action, button, row) => {
    if (busy || !sessionId) return;
    for (const b of row.querySelectorAll("button")) b.disabled = true;
    button.setAttribute("aria-pressed", "true");
    setBusy(true);
    clearChips();
    showTyping();
    try {
      const response = await request(`/api/v1/chat/${encodeURIComponent(sessionId)}/actions`, {
        method: "POST",
        headers: headers(true),
        body: JSON.stringify({ action_id: action.id }),
      });
      const turn = await response.json();
      hideTyping();
      renderTurn(turn);
      afterTurn(turn);
      if (action.kind === "edit") input.focus();
    } catch (error) {
      hideTyping();
      button.setAttribute("aria-pressed", "false");
      for (const b of row.querySelectorAll("button")) b.disabled = false;
      addNotice(`${t("failed")}${error.message}`);
    } finally {
      setBusy(false);
    }
  };

  // Restoring a conversation after a reload ------------------------------------------------------------------
  const restore = async () => {
    restored = true;
    if (!sessionId) {
      greet();
      return;
    }
    let messages = [];
    try {
      const response = await request(`/api/v1/chat/${encodeURIComponent(sessionId)}`, { headers: headers(false) });
      messages = (await response.json()).messages || [];
    } catch (error) {
      if (error.status === 0) {
        addNotice(t("offline"), () => {
          log.replaceChildren();
          restore();
        });
        return;
      }
      messages = []; // unknown or expired session: start afresh
    }
    if (!messages.length) {
      sessionId = null;
      storage.set(null);
      greet();
      return;
    }
    const labels = new Map(); // action id → its label, to show a pressed button as what the user chose
    let last = null;
    let lastTurn = null;
    for (const m of messages) {
      const payload = m.payload || {};
      if (m.role === "user") {
        const label = payload.action ? labels.get(payload.action) : null;
        addMessage("user", label || m.text);
        lastTurn = null;
      } else {
        for (const a of payload.actions || []) labels.set(a.id, a.label);
        last = renderTurn({ reply: m.text, ...payload }, null, { live: false });
        lastTurn = payload;
      }
    }
    if (last && lastTurn) {
      // Only the latest turn keeps live buttons and suggestions.
      last.remove();
      renderTurn({ reply: lastTurn.reply, ...lastTurn });
    }
  };

  const reset = () => {
    cancelRecording();
    sessionId = null;
    storage.set(null);
    log.replaceChildren();
    greet();
    input.focus();
  };

  // Opening and closing --------------------------------------------------------------------------------------
  const open = () => {
    if (!panel.hidden) return;
    panel.hidden = false;
    shell.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    applyStrings();
    if (!restored) restore();
    scrollDown();
    input.focus();
  };
  const close = () => {
    if (panel.hidden) return;
    cancelRecording();
    panel.hidden = true;
    shell.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    applyStrings();
    launcher.focus();
  };

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  resetButton.addEventListener("click", reset);
  shell.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      if (recorder) cancelRecording();
      else close();
    }
  });
  // Keys typed in the widget stay in the widget: the host page's shortcuts would see them as keys pressed on
  // <qiao-widget> (shadow DOM retargets events), not in a text field.
  for (const type of ["keydown", "keyup", "keypress"]) shell.addEventListener(type, (event) => event.stopPropagation());
  const submit = () => {
    const text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    autosize();
    send(text);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  const autosize = () => {
    input.style.height = "";
    if (!input.value) return; // Chromium counts a wrapped placeholder in scrollHeight
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`;
  };
  input.addEventListener("input", autosize);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      // Enter sends; Shift+Enter is a new line; Enter while an IME is composing picks the candidate.
      event.preventDefault();
      submit();
    }
  });

  // Voice ----------------------------------------------------------------------------------------------------
  let recorder = null;
  let recordTimer = null;
  let discard = false;

  const micProblem = (error) => {
    const name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") return t("micDenied");
    if (name === "NotFoundError" || name === "OverconstrainedError") return t("micMissing");
    if (name === "NotReadableError" || name === "AbortError") return t("micBusy");
    return `${t("micFailed")}${(error && error.message) || name || ""}`;
  };

  const setRecording = (on) => {
    micButton.setAttribute("aria-pressed", on ? "true" : "false");
    micButton.replaceChildren(icon(...(on ? ICONS.stop : ICONS.mic)));
    recordingBar.hidden = !on;
    input.disabled = on;
    applyStrings();
  };

  const startRecording = async () => {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof MediaRecorder === "undefined") {
      addNotice(t("micUnavailable"));
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      addNotice(micProblem(error));
      return;
    }
    const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"].find((m) =>
      MediaRecorder.isTypeSupported(m),
    );
    let rec;
    try {
      rec = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    } catch (error) {
      stream.getTracks().forEach((track) => track.stop());
      addNotice(micProblem(error));
      return;
    }
    const chunks = [];
    const started = performance.now();
    discard = false;
    rec.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size) chunks.push(event.data);
    });
    rec.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      clearInterval(recordTimer);
      recorder = null;
      setRecording(false);
      const seconds = (performance.now() - started) / 1000;
      if (discard) return;
      if (seconds < 0.5 || !chunks.length) {
        addNotice(t("tooShort"));
        return;
      }
      sendVoice(new Blob(chunks, { type: rec.mimeType || type || "audio/webm" }));
    });
    recorder = rec;
    rec.start(250);
    setRecording(true);
    recordingTime.textContent = clock(0);
    recordTimer = setInterval(() => {
      const seconds = (performance.now() - started) / 1000;
      recordingTime.textContent = clock(seconds);
      if (seconds >= MAX_RECORDING_SECONDS) stopRecording();
    }, 250);
    micButton.focus();
  };

  const stopRecording = () => {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  };
  const cancelRecording = () => {
    if (!recorder) return;
    discard = true;
    stopRecording();
  };

  const extension = (mime) => (mime.includes("ogg") ? "ogg" : mime.includes("mp4") ? "m4a" : "webm");
  const voiceForm = (blob) => {
    const formData = new FormData();
    formData.append("audio", blob, `speech.${extension(blob.type)}`);
    if (config.voiceLang) formData.append("lang", config.voiceLang);
    if (sessionId) formData.append("session_id", sessionId);
    if (config.user) formData.append("user", config.user);
    return formData;
  };

  // POST /api/v1/voice: the recording, transcribed and answered in one call; the response is the chat turn plus
  // `transcript` ({text, language, …}), which replaces the "Transcribing…" placeholder as the user's message.
  const sendVoice = async (blob) => {
    setBusy(true);
    clearChips();
    disableActions();
    const pending = addMessage("user", t("transcribing"), { pending: true });
    pending.message.setAttribute("data-voice", "");
    showTyping();
    try {
      const response = await request("/api/v1/voice", { method: "POST", headers: headers(false), body: voiceForm(blob) });
      const turn = await response.json();
      pending.bubble.textContent = (turn.transcript && turn.transcript.text) || "";
      pending.message.classList.remove("pending");
      hideTyping();
      renderTurn(turn);
      afterTurn(turn);
    } catch (error) {
      pending.message.remove();
      addNotice(`${t("voiceFailed")}${error.message}`);
    } finally {
      hideTyping();
      setBusy(false);
    }
  };

  micButton.addEventListener("click", () => {
    if (recorder) stopRecording();
    else if (!busy) startRecording();
  });

  // Start ----------------------------------------------------------------------------------------------------
  const mount = () => {
    if (!host.isConnected) document.body.append(host);
    const iconValue = getComputedStyle(host).getPropertyValue("--qiao-launcher-icon").trim();
    launcher.classList.toggle("custom-icon", Boolean(iconValue && iconValue !== "none"));
    applyStrings();
    if (config.open) open();
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });

  window.Qiao = Object.freeze({
    version: "0.1.0",
    open,
    close,
    reset,
    send: (text) => {
      open();
      return send(text);
    },
    setLang(value) {
      const next = pickLang(value);
      if (!next || next === lang) return;
      lang = next;
      applyStrings();
      const greeting = log.querySelector("[data-greeting]");
      if (greeting && log.children.length === 1) {
        log.replaceChildren();
        greet();
      }
    },
    // The host page renews the visitor's signed token before it expires (same person: the conversation goes on).
    setUserToken(token) {
      config.userToken = String(token || "");
    },
    get lang() {
      return lang;
    },
    get sessionId() {
      return sessionId;
    },
  });
})();
