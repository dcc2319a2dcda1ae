// hookmatch/elements: framework-free custom elements that show what the
// playground shows, for admin UIs to drop into their own pages. They render
// data the package returns (diagnostics, an explanation, a delivery); they
// decide nothing themselves, so they need no wasm and load with no setup.
//
// Theming: CSS custom properties (--hookmatch-pass, --hookmatch-fail,
// --hookmatch-warn, --hookmatch-font, --hookmatch-mono, --hookmatch-border)
// and ::part() on every element that matters (listed per element below).

const STYLE = `
:host { display: block; font: var(--hookmatch-font, 13px/1.4 system-ui, sans-serif); color: inherit; }
[part~="item"], [part~="row"] { border-left: 3px solid var(--hookmatch-border, #d9dce3); padding: 2px 6px; margin: 2px 0; }
[part~="error"], [part~="fail"] { border-color: var(--hookmatch-fail, #c62828); }
[part~="warning"] { border-color: var(--hookmatch-warn, #b26a00); }
[part~="pass"] { border-color: var(--hookmatch-pass, #2e7d32); }
[part~="severity"], [part~="mark"] { font-weight: 600; margin-right: 4px; }
[part~="heading"] { font-weight: 600; margin: 8px 0 2px; }
[part~="reason"] { display: block; }
code, pre { font-family: var(--hookmatch-mono, ui-monospace, monospace); }
pre { white-space: pre-wrap; word-break: break-all; margin: 4px 0; max-height: var(--hookmatch-pre-height, 24em); overflow: auto; }
ul { list-style: none; margin: 0; padding: 0; }
[part~="layout"] { display: flex; flex-wrap: wrap; gap: 12px; }
[part~="tree"] { flex: 2 1 320px; min-width: 0; }
[part~="event"] { flex: 1 1 240px; min-width: 0; }
[part~="row"]:focus, [part~="item"]:focus { outline: 2px solid var(--hookmatch-focus, #3b5bdb); }
button { font: inherit; }
[part~="location"] { font-family: var(--hookmatch-mono, ui-monospace, monospace); margin-right: 4px; }
`;

function node(tag, attrs = {}, children = []) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") n.textContent = v;
    else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v);
  }
  n.append(...children);
  return n;
}

// Importable where there is no DOM (a server render, a test in Node): the
// classes exist, and nothing is registered.
const ElementBase = globalThis.HTMLElement ?? class {};

class Base extends ElementBase {
  #data = null;
  constructor() {
    super();
    this.attachShadow({ mode: "open" }).append(node("style", { text: STYLE }), node("div", { part: "root" }));
  }
  get data() {
    return this.#data;
  }
  set data(value) {
    this.#data = value;
    this.render();
  }
  get root() {
    return this.shadowRoot.querySelector("[part=root]");
  }
}

/**
 * `<hookmatch-diagnostics>`: `el.diagnostics = validate(spec)` (or `lint`).
 * Each item says its severity in words. With `el.locate = (d) => ({ line,
 * column })` (the editor's own mapping of a JSON Pointer to its text), each
 * item also shows a `line:column` button and carries `data-line` and
 * `data-column`. Parts: `list`, `item`, `error`, `warning`, `severity`,
 * `location`, `code`, `path`, `message`, `empty`. Fires `hookmatch-select`
 * with `{ detail: diagnostic }` when an item is activated (click, Enter,
 * Space, or its location button).
 */
export class HookmatchDiagnostics extends Base {
  #locate = null;
  get diagnostics() {
    return this.data ?? [];
  }
  set diagnostics(list) {
    this.data = Array.isArray(list) ? list : [];
  }
  get locate() {
    return this.#locate;
  }
  set locate(fn) {
    this.#locate = typeof fn === "function" ? fn : null;
    this.render();
  }
  render() {
    const list = this.diagnostics;
    if (list.length === 0) {
      this.root.replaceChildren(node("p", { part: "empty", text: this.getAttribute("empty-text") ?? "No findings." }));
      return;
    }
    const ul = node("ul", { part: "list", role: "list" });
    for (const d of list) {
      const select = () => this.dispatchEvent(new CustomEvent("hookmatch-select", { detail: d, bubbles: true, composed: true }));
      const at = this.#locate?.(d);
      const item = node("li", { part: `item ${d.severity}`, tabindex: "0", role: "listitem", "data-code": d.code, onclick: select, onkeydown: (e) => e.target === item && (e.key === "Enter" || e.key === " ") && (e.preventDefault(), select()) }, [
        node("span", { part: "severity", text: d.severity === "error" ? "Error" : "Warning" }),
        at ? node("button", { part: "location", type: "button", tabindex: "-1", "aria-label": `go to line ${at.line}, column ${at.column}`, text: `${at.line}:${at.column}` }) : "",
        node("code", { part: "code", text: d.code }),
        " ",
        node("span", { part: "message", text: d.message }),
        d.path ? node("span", { part: "path", text: ` (${d.path})` }) : "",
      ]);
      if (at) {
        item.dataset.line = at.line;
        item.dataset.column = at.column;
      }
      ul.append(item);
    }
    this.root.replaceChildren(ul);
  }
}

const show = (v) => (typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? "");

/**
 * `<hookmatch-explanation>`: `el.explanation = sub.explain(event)`, and
 * optionally `el.event = event` (an object or JSON text) to show the event
 * beside the checks. The spec's checks as a tree (the gate, then the
 * filters, a group's filters under it), each marked "pass" or "fail" in
 * words with its comparison, the expected and actual values, the state it
 * read (only for dialects that have states) and the reason in the dialect's
 * words. Rows are focusable; arrow keys, Home and End move between them.
 * Parts: `verdict`, `layout`, `tree`, `section`, `gate`, `filters`,
 * `heading`, `row`, `pass`, `fail`, `group`, `mark`, `field`, `comparison`,
 * `expected`, `actual`, `state`, `reason`, `event`, `event-json`.
 */
export class HookmatchExplanation extends Base {
  #event = null;
  get explanation() {
    return this.data;
  }
  set explanation(x) {
    this.data = x;
  }
  get event() {
    return this.#event;
  }
  set event(e) {
    this.#event = e ?? null;
    this.render();
  }
  render() {
    const x = this.explanation;
    if (!x) {
      this.root.replaceChildren();
      return;
    }
    const rows = [];
    const row = (c, depth) => {
      const group = c.comparison === "group";
      const r = node("div", { part: `row ${c.passed ? "pass" : "fail"}${group ? " group" : ""}`, tabindex: "-1", role: "listitem", style: `margin-left:${depth * 1.2}em` }, [
        node("span", { part: "mark", text: c.passed ? "pass" : "fail" }),
        group
          ? node("code", { part: "field", text: `group ${c.connector ?? c.expected}` })
          : node("span", { part: "detail" }, [
              node("code", { part: "field", text: c.field }),
              " ",
              node("code", { part: "comparison", text: c.comparison }),
              " ",
              node("code", { part: "expected", text: show(c.expected) }),
              " · actual ",
              node("code", { part: "actual", text: c.present ? show(c.actual) : "(missing)" }),
              c.state ? node("span", { part: "state", text: ` in ${c.state}` }) : "",
            ]),
        node("span", { part: "reason", text: c.reason }),
      ]);
      rows.push(r);
      return [r, ...(c.filters ?? []).flatMap((f) => row(f, depth + 1))];
    };
    const section = (name, label, checks) =>
      node("div", { part: `section ${name}` }, [node("p", { part: "heading", id: `h-${name}`, text: label }), node("div", { role: "list", "aria-labelledby": `h-${name}` }, checks.flatMap((c) => row(c, 0)))]);
    const tree = [];
    // Some dialects (Asana) decide everything in their filters: no empty gate.
    if (x.gate.length) tree.push(section("gate", "Gate", x.gate));
    if (x.filters.length) tree.push(section("filters", `Filters (${x.connector ?? "AND"})`, x.filters));
    const layout = node("div", { part: "layout" }, [node("div", { part: "tree" }, tree)]);
    if (this.#event !== null) {
      let text = this.#event;
      try {
        text = JSON.stringify(typeof text === "string" ? JSON.parse(text) : text, null, 2);
      } catch {}
      layout.append(node("div", { part: "event" }, [node("p", { part: "heading", text: "Event" }), node("pre", { part: "event-json", tabindex: "0", text })]));
    }
    if (rows[0]) rows[0].tabIndex = 0;
    this.root.replaceChildren(node("p", { part: "verdict", text: x.matched ? "Matched" : "Not matched" }), layout);
    this.root.onkeydown = (e) => {
      const at = rows.indexOf(this.shadowRoot.activeElement);
      const to = e.key === "ArrowDown" ? at + 1 : e.key === "ArrowUp" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? rows.length - 1 : null;
      if (to === null || at < 0 || !rows[to]) return;
      e.preventDefault();
      rows[at].tabIndex = -1;
      rows[to].tabIndex = 0;
      rows[to].focus();
    };
  }
}

const HIDDEN = "••••";
const mask = (v) => (v.length <= 8 ? HIDDEN : `${v.slice(0, 4)}${HIDDEN}`);
// An HTTP credential is `<auth-scheme> <credentials>` (RFC 9110 §11.4): the
// scheme ("Bearer") says nothing secret and tells the reader what it is.
const SCHEME = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (.+)$/s;
const maskHeader = (v) => {
  const m = SCHEME.exec(v);
  return m ? `${m[1]} ${mask(m[2])}` : mask(v);
};

/**
 * Where the query secrets of `d` are in its URL: `[start, end)` pairs,
 * merged and in order. A place is taken as the core wrote it (its `start`
 * and `end`) when the URL still shows `name=` just before it; otherwise
 * (the URL was edited, or the place carries no span) the whole query is
 * hidden rather than guessed at.
 */
function querySpans(url, places) {
  const spans = [];
  for (const p of places) {
    if (typeof p?.query !== "string") continue;
    const { start, end } = p;
    const before = url.slice(0, start);
    const exact = Number.isInteger(start) && Number.isInteger(end) && start <= end && end <= url.length && before.endsWith(`${p.query}=`) && /[?&]$/.test(before.slice(0, -p.query.length - 1));
    if (exact) spans.push([start, end]);
    else if (url.includes("?")) spans.push([url.indexOf("?") + 1, url.length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [s, e] of spans) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/**
 * A delivery's URL and headers as a screen shows them: every place that
 * `d.secrets` names (a header, or a query parameter's value at its span in
 * the URL) masked, unless `reveal`. Header values keep their first four
 * characters (and an auth scheme such as "Bearer"); a query value is hidden
 * whole. The places are the core's: this function knows no vendor. A
 * delivery that does not list them (no `secrets` array, e.g. one written by
 * hand) has every header value and its whole query masked. The delivery
 * view, the playground and the CLI all use it.
 */
export function maskDelivery(d, reveal = false) {
  const entries = Object.entries(d.headers ?? {});
  if (reveal) return { url: d.url, headers: entries };
  const known = Array.isArray(d.secrets);
  const places = known ? d.secrets : [{ query: "" }];
  const names = new Set(places.filter((p) => typeof p?.header === "string").map((p) => p.header.toLowerCase()));
  let url = String(d.url ?? "");
  for (const [s, e] of querySpans(url, places).reverse()) url = `${url.slice(0, s)}${HIDDEN}${url.slice(e)}`;
  const headers = entries.map(([k, v]) => [k, !known || names.has(k.toLowerCase()) ? maskHeader(String(v)) : v]);
  return { url, headers };
}

/** One argument quoted for a POSIX shell. */
const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/**
 * The delivery as a `curl` command that sends the same request: method,
 * URL, headers in order and the exact body. Secrets are masked as on
 * screen unless `reveal` (a masked command shows the request; only a
 * revealed one can replay it).
 */
export function curlCommand(d, reveal = false) {
  const { url, headers } = maskDelivery(d, reveal);
  return ["curl", "-X", d.method, quote(url), ...headers.flatMap(([k, v]) => ["-H", quote(`${k}: ${v}`)]), "--data-binary", quote(d.body)].join(" ");
}

/**
 * `<hookmatch-delivery>`: `el.delivery = sub.deliver(event)`. Secrets (the
 * places the delivery's `secrets` lists) are masked until the reveal button
 * is pressed, and again whenever a delivery is set (`el.delivery` or
 * `el.data`). A JSON
 * body is shown formatted, or exactly as sent with the raw-body button.
 * "Copy as curl" copies `curlCommand(delivery, revealed)` to the clipboard
 * and fires `hookmatch-copy` with `{ detail: { text } }`. Parts: `request`,
 * `method`, `url`, `headers`, `header`, `body`, `actions`, `reveal`,
 * `raw`, `curl`, `status`, `none`.
 */
export class HookmatchDelivery extends Base {
  #reveal = false;
  #raw = false;
  get delivery() {
    return this.data;
  }
  set delivery(d) {
    this.data = d;
  }
  get data() {
    return super.data;
  }
  // Every way in starts masked: a reveal was for the delivery it showed.
  set data(d) {
    this.#reveal = false;
    this.#raw = false;
    super.data = d;
  }
  render() {
    const d = this.delivery;
    if (!d) {
      this.root.replaceChildren(node("p", { part: "none", text: this.getAttribute("none-text") ?? "Nothing is delivered." }));
      return;
    }
    const reveal = this.#reveal;
    const { url, headers } = maskDelivery(d, reveal);
    let pretty = null;
    try {
      pretty = JSON.stringify(JSON.parse(d.body), null, 2);
    } catch {}
    const raw = this.#raw || pretty === null;
    const status = node("span", { part: "status", role: "status" });
    const toggle = (name, flip) => () => {
      flip();
      this.render();
      this.shadowRoot.querySelector(`[part~="${name}"]`).focus();
    };
    const actions = [
      node("button", { part: "reveal", type: "button", "aria-pressed": String(reveal), text: reveal ? "Hide secrets" : "Reveal secrets", onclick: toggle("reveal", () => (this.#reveal = !this.#reveal)) }),
      pretty === null ? "" : node("button", { part: "raw", type: "button", "aria-pressed": String(raw), text: "Raw body", onclick: toggle("raw", () => (this.#raw = !this.#raw)) }),
      node("button", {
        part: "curl",
        type: "button",
        text: reveal ? "Copy as curl" : "Copy as curl (secrets masked)",
        onclick: async () => {
          const text = curlCommand(d, this.#reveal);
          this.dispatchEvent(new CustomEvent("hookmatch-copy", { detail: { text }, bubbles: true, composed: true }));
          try {
            await navigator.clipboard.writeText(text);
            status.textContent = "Copied.";
          } catch {
            status.textContent = "The clipboard is not available here.";
          }
        },
      }),
      status,
    ];
    this.root.replaceChildren(
      node("p", { part: "request" }, [node("code", { part: "method", text: d.method }), " ", node("code", { part: "url", text: url })]),
      node("ul", { part: "headers", "aria-label": "headers" }, headers.map(([k, v]) => node("li", { part: "header" }, [node("code", { text: `${k}: ${v}` })]))),
      node("pre", { part: "body", tabindex: "0", "aria-label": raw ? "body, exactly as sent" : "body, formatted", text: raw ? d.body : pretty }),
      node("p", { part: "actions" }, actions),
    );
  }
}

/** Register the three elements (once; a page may import this twice). */
export function defineElements() {
  for (const [name, cls] of [
    ["hookmatch-diagnostics", HookmatchDiagnostics],
    ["hookmatch-explanation", HookmatchExplanation],
    ["hookmatch-delivery", HookmatchDelivery],
  ]) {
    if (!customElements.get(name)) customElements.define(name, cls);
  }
}

if (typeof customElements !== "undefined") defineElements();
