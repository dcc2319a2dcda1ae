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
code, pre { font-family: var(--hookmatch-mono, ui-monospace, monospace); }
pre { white-space: pre-wrap; word-break: break-all; margin: 4px 0; }
ul { list-style: none; margin: 0; padding: 0; }
[part~="row"] { cursor: default; }
[part~="row"]:focus { outline: 2px solid var(--hookmatch-focus, #3b5bdb); }
button { font: inherit; }
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
 * Each item says its severity in words. Parts: `list`, `item`, `error`,
 * `warning`, `severity`, `code`, `path`, `message`. Fires `hookmatch-select`
 * with `{ detail: diagnostic }` when an item is activated (click, Enter).
 */
export class HookmatchDiagnostics extends Base {
  get diagnostics() {
    return this.data ?? [];
  }
  set diagnostics(list) {
    this.data = Array.isArray(list) ? list : [];
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
      ul.append(
        node("li", { part: `item ${d.severity}`, tabindex: "0", role: "listitem", onclick: select, onkeydown: (e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), select()) }, [
          node("span", { part: "severity", text: d.severity === "error" ? "Error" : "Warning" }),
          node("code", { part: "code", text: d.code }),
          " ",
          node("span", { part: "message", text: d.message }),
          d.path ? node("span", { part: "path", text: ` (${d.path})` }) : "",
        ]),
      );
    }
    this.root.replaceChildren(ul);
  }
}

/**
 * `<hookmatch-explanation>`: `el.explanation = sub.explain(event)`. One row
 * per check (the gate, then the filters, groups indented), each marked
 * "pass" or "fail" in words. Rows are focusable; arrow keys move between
 * them. Parts: `verdict`, `section`, `row`, `pass`, `fail`, `mark`, `field`,
 * `reason`.
 */
export class HookmatchExplanation extends Base {
  get explanation() {
    return this.data;
  }
  set explanation(x) {
    this.data = x;
  }
  render() {
    const x = this.explanation;
    if (!x) {
      this.root.replaceChildren();
      return;
    }
    const rows = [];
    const row = (c, depth) => {
      const r = node("div", { part: `row ${c.passed ? "pass" : "fail"}`, tabindex: "-1", role: "listitem", style: `margin-left:${depth * 1.2}em` }, [
        node("span", { part: "mark", text: c.passed ? "pass" : "fail" }),
        node("code", { part: "field", text: c.field || c.comparison }),
        " ",
        node("span", { part: "reason", text: c.reason }),
      ]);
      rows.push(r);
      return [r, ...(c.filters ?? []).flatMap((f) => row(f, depth + 1))];
    };
    const sections = [node("p", { part: "verdict", text: x.matched ? "Matched" : "Not matched" })];
    if (x.gate.length) sections.push(node("div", { part: "section gate", role: "list", "aria-label": "gate" }, x.gate.flatMap((c) => row(c, 0))));
    if (x.filters.length) sections.push(node("div", { part: "section filters", role: "list", "aria-label": `filters (${x.connector ?? "AND"})` }, x.filters.flatMap((c) => row(c, 0))));
    if (rows[0]) rows[0].tabIndex = 0;
    this.root.replaceChildren(...sections);
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

/** Headers that carry a credential or a signature (every dialect's). */
const SECRET_HEADERS = /^(authorization|x-hook-secret|x-hook-signature|webhook-signature|ricloud-signature)$/i;
const mask = (v) => (v.length <= 8 ? "••••" : `${v.slice(0, 4)}••••`);

/**
 * A delivery's URL and headers as a screen shows them: credential headers
 * and a `token` query parameter masked (the first four characters kept),
 * unless `reveal`. The delivery view and the playground both use it.
 */
export function maskDelivery(d, reveal = false) {
  let url = d.url;
  if (!reveal) url = url.replace(/([?&]token=)[^&#]*/, "$1••••");
  const headers = Object.entries(d.headers).map(([k, v]) => [k, reveal || !SECRET_HEADERS.test(k) ? v : /^bearer /i.test(v) ? `Bearer ${mask(v.slice(7))}` : mask(v)]);
  return { url, headers };
}

/**
 * `<hookmatch-delivery>`: `el.delivery = sub.deliver(event)`. Secrets (the
 * credential headers and a `token` query parameter) are masked until the
 * reveal button is pressed (and again when `el.delivery` is set). Parts:
 * `request`, `method`, `url`, `headers`, `header`, `body`, `reveal`, `none`.
 */
export class HookmatchDelivery extends Base {
  #reveal = false;
  get delivery() {
    return this.data;
  }
  set delivery(d) {
    this.#reveal = false;
    this.data = d;
  }
  render() {
    const d = this.delivery;
    if (!d) {
      this.root.replaceChildren(node("p", { part: "none", text: this.getAttribute("none-text") ?? "Nothing is delivered." }));
      return;
    }
    const reveal = this.#reveal;
    const { url, headers } = maskDelivery(d, reveal);
    let body = d.body;
    try {
      body = JSON.stringify(JSON.parse(d.body), null, 2);
    } catch {}
    this.root.replaceChildren(
      node("p", { part: "request" }, [node("code", { part: "method", text: d.method }), " ", node("code", { part: "url", text: url })]),
      node("ul", { part: "headers" }, headers.map(([k, v]) => node("li", { part: "header" }, [node("code", { text: `${k}: ${v}` })]))),
      node("pre", { part: "body", tabindex: "0", text: body }),
      node("button", {
        part: "reveal",
        type: "button",
        "aria-pressed": String(reveal),
        text: reveal ? "Hide secrets" : "Reveal secrets",
        onclick: () => {
          this.#reveal = !this.#reveal;
          this.render();
          this.shadowRoot.querySelector("[part=reveal]").focus();
        },
      }),
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
