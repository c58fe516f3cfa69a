// Qiao ops console: themes, the 2-D map, drill-down and review. Plain JS, no build step.
// Every piece of server data goes into the page as text (textContent / SVG text nodes), never as HTML.
"use strict";
(() => {
  const API = "/api/v1/themes";
  // The ops or admin key: from the link `make run` prints (/ops#key=…), else typed into the form; kept for this
  // tab only (sessionStorage), and taken out of the address bar at once.
  const KEY_STORE = "qiao-ops-key";
  const fromLink = new URLSearchParams(location.hash.slice(1)).get("key");
  if (fromLink) {
    sessionStorage.setItem(KEY_STORE, fromLink);
    history.replaceState(null, "", location.pathname + location.search);
  }
  const auth = () => {
    const key = sessionStorage.getItem(KEY_STORE);
    return key ? { Authorization: `Bearer ${key}` } : {};
  };
  const T = {
    zh: {
      title: "运营控制台", discover: "重新发现主题", month: "月份", reportMd: "月报 Markdown", reportHtml: "月报 HTML",
      reportCsv: "反馈 CSV", themes: "主题", name: "名称", count: "数量", open: "未解决", trend: "近 8 周", kinds: "类型",
      languages: "语言", agenda: "议程", actions: "操作", map: "反馈分布图", mapHint: "每个点是一条反馈，颜色表示主题；点击查看主题。",
      items: "反馈", rename: "改名", merge: "合并到…", split: "拆分", move: "移到主题…", loading: "加载中…",
      renamePrompt: "新的主题名称：", mergeInto: "合并到哪个主题？", done: "已完成", discovering: "正在发现主题…",
      summary: (n, k, u) => `共 ${n} 条反馈，${k} 个主题，${u} 条未归类`,
      discovered: (r) => `发现 ${r.themes} 个主题（新增 ${r.created}，保留 ${r.kept}，停用 ${r.retired}），未归类 ${r.unthemed}，用时 ${r.seconds} 秒`,
      confirmSplit: "把这个主题重新聚类拆分？", none: "暂无主题：请先点击“重新发现主题”。", unthemed: "未归类",
      other: "English", keyLabel: "运营密钥", useKey: "使用",
      needKey: "请输入运营或管理员 API 密钥（make run 会打印带密钥的控制台链接）",
    },
    en: {
      title: "Ops console", discover: "Discover themes", month: "Month", reportMd: "Report (Markdown)",
      reportHtml: "Report (HTML)", reportCsv: "Items (CSV)", themes: "Themes", name: "Name", count: "Items",
      open: "Open", trend: "Last 8 weeks", kinds: "Kinds", languages: "Languages", agenda: "Agenda", actions: "Actions",
      map: "Feedback map", mapHint: "Each dot is a feedback item, coloured by theme; click one to open its theme.",
      items: "Items", rename: "Rename", merge: "Merge into…", split: "Split", move: "Move to…", loading: "Loading…",
      renamePrompt: "New theme name:", mergeInto: "Merge into which theme?", done: "Done",
      discovering: "Discovering themes…",
      summary: (n, k, u) => `${n} items, ${k} themes, ${u} unthemed`,
      discovered: (r) => `${r.themes} themes (${r.created} new, ${r.kept} kept, ${r.retired} retired), ${r.unthemed} unthemed, ${r.seconds} s`,
      confirmSplit: "Re-cluster this theme into several?", none: "No themes yet: press “Discover themes”.",
      unthemed: "Unthemed", other: "中文", keyLabel: "Ops key", useKey: "Use",
      needKey: "Enter an ops or admin API key (make run prints a console link that carries one)",
    },
  };
  const PALETTE = ["#2f6fde", "#d9534f", "#3c9d5d", "#8a6fd1", "#e08a1e", "#1aa3a3", "#c2497a", "#6b8e23",
    "#7a5c3e", "#4a6fa5", "#b8860b", "#20639b", "#a0522d", "#5f9ea0", "#9932cc", "#2e8b57"];
  const SVG = "http://www.w3.org/2000/svg";
  let lang = (new URLSearchParams(location.search).get("lang") || navigator.language || "zh").startsWith("en") ? "en" : "zh";
  let themes = [];
  let selected = null;
  const $ = (id) => document.getElementById(id);
  const t = (key) => T[lang][key];

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function status(text, isError) {
    const s = $("status");
    s.textContent = text || "";
    s.className = isError ? "error" : "";
  }

  async function call(path, options = {}) {
    const headers = { "Accept-Language": lang, ...auth(), ...(options.body ? { "Content-Type": "application/json" } : {}) };
    const response = await fetch(path, { ...options, headers });
    if (response.status === 401 || response.status === 403) $("key-form").hidden = false;
    const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
    if (!response.ok) throw new Error((body && (body.detail || body.title)) || response.statusText);
    return body;
  }

  function colour(themeId) {
    const index = themes.findIndex((x) => x.id === themeId);
    return index < 0 ? "#c9cdd4" : PALETTE[index % PALETTE.length];
  }

  function sparkline(values) {
    const w = 90, h = 20, top = Math.max(1, ...values);
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", w); svg.setAttribute("height", h); svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    const line = document.createElementNS(SVG, "polyline");
    const step = w / Math.max(values.length - 1, 1);
    line.setAttribute("points", values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / top) * (h - 4)).toFixed(1)}`).join(" "));
    line.setAttribute("fill", "none"); line.setAttribute("stroke", "#0f6d6a"); line.setAttribute("stroke-width", "1.5");
    svg.appendChild(line);
    const title = document.createElementNS(SVG, "title");
    title.textContent = values.join(", ");
    svg.appendChild(title);
    return svg;
  }

  function mix(counts) {
    return Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(" · ");
  }

  function renderThemes(list) {
    const body = $("themes").querySelector("tbody");
    body.replaceChildren();
    $("summary").textContent = t("summary")(list.total_items, list.themes.length, list.unthemed);
    if (!list.themes.length) {
      const row = el("tr");
      const cell = el("td", t("none"));
      cell.colSpan = 8;
      row.appendChild(cell);
      body.appendChild(row);
    }
    for (const theme of list.themes) {
      const row = el("tr");
      row.dataset.id = theme.id;
      if (selected === theme.id) row.classList.add("selected");
      const nameCell = el("td");
      const swatch = el("span", null, "swatch");
      swatch.style.background = colour(theme.id);
      const name = el("button", theme.name, "name");
      name.type = "button";
      name.addEventListener("click", () => openTheme(theme.id));
      nameCell.append(swatch, name);
      const trend = el("td");
      trend.appendChild(sparkline(theme.trend));
      const agenda = el("td");
      const box = el("input");
      box.type = "checkbox";
      box.checked = theme.on_agenda;
      box.setAttribute("aria-label", t("agenda"));
      box.addEventListener("change", () => act(`${API}/${theme.id}`, { method: "PATCH", body: JSON.stringify({ on_agenda: box.checked }) }));
      agenda.appendChild(box);
      const actions = el("td", null, "actions");
      const rename = el("button", t("rename"));
      rename.type = "button";
      rename.addEventListener("click", () => {
        const value = prompt(t("renamePrompt"), theme.name);
        if (value && value.trim()) act(`${API}/${theme.id}`, { method: "PATCH", body: JSON.stringify({ name: value.trim() }) });
      });
      const merge = el("select");
      merge.appendChild(el("option", t("merge")));
      merge.firstChild.value = "";
      for (const other of list.themes) {
        if (other.id === theme.id) continue;
        const option = el("option", `#${other.id} ${other.name}`);
        option.value = other.id;
        merge.appendChild(option);
      }
      merge.addEventListener("change", () => {
        if (merge.value) act(`${API}/${theme.id}/merge`, { method: "POST", body: JSON.stringify({ into: Number(merge.value) }) });
      });
      const split = el("button", t("split"));
      split.type = "button";
      split.addEventListener("click", () => {
        if (confirm(t("confirmSplit"))) act(`${API}/${theme.id}/split`, { method: "POST" });
      });
      const box2 = el("div", null, "buttons");
      box2.append(rename, split, merge);
      actions.append(box2);
      row.append(nameCell, el("td", theme.count, "n"), el("td", theme.open, "n"), trend, el("td", mix(theme.kinds)),
        el("td", mix(theme.languages)), agenda, actions);
      body.appendChild(row);
    }
  }

  function renderMap(data) {
    const svg = $("map");
    svg.replaceChildren();
    if (!data.points.length) return;
    const xs = data.points.map((p) => p.x), ys = data.points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x) => 20 + ((x - x0) / (x1 - x0 || 1)) * 560;
    const sy = (y) => 400 - ((y - y0) / (y1 - y0 || 1)) * 380;
    for (const p of data.points) {
      const dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", sx(p.x).toFixed(1)); dot.setAttribute("cy", sy(p.y).toFixed(1));
      dot.setAttribute("r", p.theme_id === selected ? 5.5 : 4);
      dot.setAttribute("fill", colour(p.theme_id));
      dot.setAttribute("fill-opacity", selected === null || p.theme_id === selected ? "0.9" : "0.35");
      const title = document.createElementNS(SVG, "title");
      title.textContent = p.text;
      dot.appendChild(title);
      if (p.theme_id !== null) dot.addEventListener("click", () => openTheme(p.theme_id));
      svg.appendChild(dot);
    }
  }

  async function openTheme(id) {
    selected = id;
    const [theme, items] = await Promise.all([call(`${API}/${id}`), call(`${API}/${id}/items?limit=200`)]);
    $("detail").hidden = false;
    $("detail-name").textContent = `#${theme.id} ${theme.name}`;
    $("detail-keywords").textContent = theme.keywords.join(" · ");
    const quotes = $("detail-quotes");
    quotes.replaceChildren(...theme.quotes.map((q) => el("p", q.text, "quote")));
    const list = $("detail-items");
    list.replaceChildren();
    for (const item of items.items) {
      const li = el("li");
      li.append(el("span", item.text));
      for (const tag of [item.kind, item.severity, item.language, item.theme_source || ""]) if (tag) li.append(el("span", tag, "tag"));
      const move = el("select");
      move.appendChild(el("option", t("move")));
      move.firstChild.value = "";
      for (const other of themes) {
        if (other.id === id) continue;
        const option = el("option", `#${other.id} ${other.name}`);
        option.value = other.id;
        move.appendChild(option);
      }
      move.addEventListener("change", () => {
        if (move.value) act(`${API}/${move.value}/items`, { method: "POST", body: JSON.stringify({ feedback_id: item.id }) });
      });
      li.append(" ", move);
      list.appendChild(li);
    }
    for (const row of $("themes").querySelectorAll("tbody tr")) row.classList.toggle("selected", Number(row.dataset.id) === id);
    renderMap(await call(`${API}/map`));
  }

  async function act(path, options) {
    try {
      status(t("loading"));
      await call(path, options);
      await load();
      if (selected !== null && themes.some((x) => x.id === selected)) await openTheme(selected);
      status(t("done"));
    } catch (error) {
      status(error.message, true);
    }
  }

  function reportLinks() {
    const month = $("month").value;
    for (const [id, format] of [["report-md", "md"], ["report-html", "html"], ["report-csv", "csv"]]) {
      $(id).href = `${API}/report?month=${encodeURIComponent(month)}&format=${format}`;
    }
  }

  function translate() {
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    $("lang").textContent = t("other");
    document.title = `Qiao · ${t("title")}`;
  }

  // Report links carry no header, so a click fetches the report with the key and opens or saves what came back.
  async function openReport(event) {
    event.preventDefault();
    const link = event.currentTarget;
    try {
      const response = await fetch(link.href, { headers: { "Accept-Language": lang, ...auth() } });
      if (!response.ok) {
        if (response.status === 401 || response.status === 403) $("key-form").hidden = false;
        const problem = await response.json().catch(() => ({}));
        throw new Error(problem.detail || response.statusText);
      }
      const url = URL.createObjectURL(await response.blob());
      if (link.id === "report-html") {
        window.open(url, "_blank", "noopener");
      } else {
        const save = document.createElement("a");
        save.href = url;
        save.download = link.id === "report-csv" ? "feedback.csv" : "report.md";
        save.click();
      }
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      status(error.message, true);
    }
  }

  async function load() {
    const list = await call(API);
    themes = list.themes;
    renderThemes(list);
    renderMap(await call(`${API}/map`));
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const now = new Date();
    $("month").value = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
    $("month").addEventListener("change", reportLinks);
    for (const id of ["report-md", "report-html", "report-csv"]) $(id).addEventListener("click", openReport);
    $("key-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const key = $("key").value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY_STORE, key);
      $("key").value = "";
      $("key-form").hidden = true;
      try {
        await load();
        status("");
      } catch (error) {
        status(error.message, true);
      }
    });
    reportLinks();
    translate();
    $("lang").addEventListener("click", async () => {
      lang = lang === "en" ? "zh" : "en";
      translate();
      await load();
    });
    $("discover").addEventListener("click", async () => {
      try {
        status(t("discovering"));
        const run = await call(`${API}/discover`, { method: "POST", body: "{}" });
        await load();
        status(t("discovered")(run));
      } catch (error) {
        status(error.message, true);
      }
    });
    if (!sessionStorage.getItem(KEY_STORE)) {
      $("key-form").hidden = false;
      status(t("needKey"));
      return;
    }
    try {
      await load();
    } catch (error) {
      status(error.message, true);
    }
  });
})();
