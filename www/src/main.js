// The hookmatch playground: spec editor with live diagnostics, events pane,
// virtualised results, explanations, delivery preview, base64 box. All work
// on events happens in a Web Worker (worker.js). Diagnostics, explanations
// and deliveries are hookmatch/elements' own elements, as an admin UI would
// use them.
import { encodeBase64, decodeBase64 } from "hookmatch";
import "hookmatch/elements";
import { locate, position } from "./locate.js";
import samples from "./samples.js";

// samples.js holds one sample per registered dialect, in registry order
// (www/build.mjs writes it from dialects()): the first is the default.
const FIRST = Object.keys(samples)[0];

const $ = (id) => document.getElementById(id);
const ROW_HEIGHT = 28;
const STORE = "hookmatch.playground";

const ui = {
  dialect: $("dialect"),
  spec: $("spec"),
  diagnostics: $("diagnostics"),
  events: $("events"),
  file: $("file"),
  drop: $("drop"),
  sample: $("load-sample"),
  run: $("run"),
  cancel: $("cancel"),
  progress: $("progress"),
  progressText: $("progress-text"),
  summary: $("summary"),
  viewport: $("viewport"),
  spacer: $("spacer"),
  rows: $("rows"),
  detail: $("detail"),
  generate: $("generate"),
  saveSpec: $("save-spec"),
  editPanel: $("edit-panel"),
  resultsPane: $("results-pane"),
  stale: $("stale"),
};
const SAVED = "hookmatch.playground.saved";

// ------------------------------------------------------------ the worker

let worker;
let runId = 0;
let rows = [];
const waiting = new Map();
// The worker instantiates wasm with a top-level await before it listens;
// messages wait here until it says it is ready.
let pending = [];

function send(msg, transfer = []) {
  if (pending) pending.push([msg, transfer]);
  else worker.postMessage(msg, transfer);
}

function startWorker() {
  // Every run restarts the worker (that is how a run is cancelled): a
  // validation still queued for the old one goes to the new one, or the
  // diagnostics would stay those of an earlier edit.
  pending = (pending ?? []).filter(([msg]) => msg.type === "validate");
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    if (data.type === "ready") {
      const queued = pending;
      pending = null;
      for (const [msg, transfer] of queued) worker.postMessage(msg, transfer);
    } else if (data.type === "diagnostics") showDiagnostics(data.diagnostics, data.dialect);
    else if (data.type === "progress" && data.id === runId) onProgress(data);
    else if (data.type === "done" && data.id === runId) onDone(data);
    else if (data.type === "detail" || data.type === "example" || data.type === "diff") waiting.get(data.id)?.(data);
  };
}
startWorker();

// ------------------------------------------------------------ spec + diagnostics

let validateTimer;
function saveAndValidate() {
  localStorage.setItem(STORE, JSON.stringify({ spec: ui.spec.value, dialect: ui.dialect.value }));
  saveEvents();
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => send({ type: "validate", spec: ui.spec.value, dialect: ui.dialect.value }), 120);
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function where(d) {
  // A syntax error carries its own place; the core counts its column in
  // UTF-8 bytes and the text area in UTF-16 units.
  if (d.code === "invalid_json" && d.line !== undefined && d.column !== undefined) {
    const text = ui.spec.value.split("\n")[d.line - 1] ?? "";
    const before = utf8.encode(text).subarray(0, Math.max(0, d.column - 1));
    return { line: d.line, column: fromUtf8.decode(before).length + 1 };
  }
  return locate(ui.spec.value, d.path);
}

function showDiagnostics(diagnostics, dialect) {
  $("detected").textContent = dialect ? `dialect: ${dialect}` : "";
  ui.diagnostics.diagnostics = diagnostics;
}
// Each diagnostic shows where it points in the spec's text, and jumps there.
ui.diagnostics.locate = where;
ui.diagnostics.addEventListener("hookmatch-select", (e) => jumpTo(where(e.detail)));

function jumpTo({ line, column }) {
  const lines = ui.spec.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  ui.spec.focus();
  ui.spec.setSelectionRange(offset + column - 1, offset + column);
}

/** The events text is kept for the next visit when it is small enough. */
function saveEvents() {
  if (fileBytes || ui.events.value.length > 1 << 20) return;
  try {
    localStorage.setItem(`${STORE}.events`, ui.events.value);
  } catch {}
}

// ------------------------------------------------------------ analysis: example, "what would it need", the edit's effect

let askId = 0;
/** Ask the worker and wait for its answer (example, diff, detail). */
function ask(msg) {
  const id = ++askId + 1e9;
  return new Promise((resolve) => {
    waiting.set(id, (d) => {
      waiting.delete(id);
      resolve(d);
    });
    send({ ...msg, id });
  });
}

ui.generate.addEventListener("click", async () => {
  const d = await ask({ type: "example", spec: ui.spec.value, dialect: ui.dialect.value });
  if (d.error || d.event === null) {
    ui.summary.textContent = d.error ?? "no event can fire this subscription (see the never_matches finding)";
    return;
  }
  ui.events.value = JSON.stringify(d.event, null, 2);
  run(new TextEncoder().encode(ui.events.value));
});

ui.saveSpec.addEventListener("click", () => {
  localStorage.setItem(SAVED, JSON.stringify({ spec: ui.spec.value, dialect: ui.dialect.value }));
  compareWithSaved();
});

/** The edit panel: the saved spec against the one being edited, over the loaded events. */
async function compareWithSaved() {
  const saved = JSON.parse(localStorage.getItem(SAVED) || "null");
  const { value: spec } = ui.spec;
  const { value: dialect } = ui.dialect;
  if (!saved || saved.spec === spec) {
    ui.editPanel.hidden = true;
    setStale(false, [ui.editPanel]);
    return;
  }
  const d = await ask({ type: "diff", before: saved.spec, after: spec, dialect });
  // An answer about an earlier edit: the run for the newer one compares again.
  if (spec !== ui.spec.value || dialect !== ui.dialect.value) return;
  ui.editPanel.hidden = false;
  setStale(false, [ui.editPanel]);
  const relation = $("edit-relation");
  if (d.error) {
    relation.textContent = d.error;
    relation.dataset.relation = "";
    return;
  }
  const r = d.result;
  const words = {
    equivalent: "fires for exactly the same events",
    narrower: "fires for fewer events (it loses some, gains none)",
    wider: "fires for more events (it gains some, loses none)",
    overlapping: "gains some events and loses others",
    disjoint: "fires for entirely different events",
  };
  relation.dataset.relation = r.relation;
  relation.textContent = `${r.relation}: the edited spec ${words[r.relation]}`;
  $("edit-events").textContent = r.events
    ? `Of the loaded events: ${r.events.gained.length} gained${r.events.gained.length ? ` (#${r.events.gained.slice(0, 10).join(", #")})` : ""}, ${r.events.lost.length} lost${r.events.lost.length ? ` (#${r.events.lost.slice(0, 10).join(", #")})` : ""}, ${r.events.both} still fire, ${r.events.neither} still do not.`
    : "";
  const witnesses = [...r.gained.map((e) => `gained: ${JSON.stringify(e)}`), ...r.lost.map((e) => `lost: ${JSON.stringify(e)}`)];
  $("edit-witness-text").textContent = witnesses.join("\n");
  $("edit-witnesses").hidden = witnesses.length === 0;
}

ui.spec.addEventListener("input", () => (saveAndValidate(), edited()));
ui.dialect.addEventListener("change", () => (saveAndValidate(), edited()));

// ------------------------------------------------------------ results stay true to the inputs

// After an edit of the spec or the events, the table, the open detail and
// the edit panel describe what was there before: they are marked out of
// date at once, and recomputed in the worker once the typing pauses (a
// newer edit cancels the older recomputation, as Evaluate does).
const RECOMPUTE_MS = 300;
let recomputeTimer;
function edited() {
  setStale(true);
  clearTimeout(recomputeTimer);
  recomputeTimer = setTimeout(() => run(fileBytes ?? new TextEncoder().encode(ui.events.value)), RECOMPUTE_MS);
}

/** The out-of-date mark: shown, and aria-busy for assistive technology, until a run and its comparison finish. */
function setStale(on, panes = [ui.resultsPane, ui.editPanel]) {
  for (const pane of panes) {
    pane.toggleAttribute("data-stale", on);
    pane.toggleAttribute("aria-busy", on);
  }
  if (panes.includes(ui.resultsPane)) ui.stale.hidden = !on;
}

// ------------------------------------------------------------ events + runs

function run(bytes) {
  clearTimeout(recomputeTimer);
  worker.terminate();
  startWorker();
  runId++;
  clearResults();
  ui.progress.value = 0;
  ui.progress.hidden = false;
  ui.cancel.disabled = false;
  ui.progressText.textContent = "evaluating…";
  const copy = bytes.slice().buffer;
  send({ type: "run", id: runId, spec: ui.spec.value, dialect: ui.dialect.value, input: copy }, [copy]);
}

function onProgress(p) {
  ui.progress.value = p.size ? p.processed / p.size : 1;
  ui.progressText.textContent = `${Math.round((p.processed / Math.max(p.size, 1)) * 100)}% · ${p.total} events · ${p.matched} matched`;
  render();
}

function onDone(d) {
  ui.cancel.disabled = true;
  ui.progress.value = 1;
  setStale(false, [ui.resultsPane]);
  if (d.invalid) {
    ui.summary.textContent = "fix the spec first";
    ui.progressText.textContent = "";
    compareWithSaved();
    return;
  }
  // Assigned, not spread: a push(...rows) of 100k rows overflows the stack.
  rows = d.rows ?? [];
  ui.summary.textContent = `${d.matched} of ${d.total} events matched; ${d.errors.length} could not be read`;
  // Nothing read at all: say what the events must be rather than leave it to a row's parser message.
  if (d.total > 0 && d.errors.length === d.total && d.errors.every((e) => e.code === "invalid_json")) {
    ui.summary.textContent = `No event could be read: the events must be JSON, a JSON array or NDJSON, in UTF-8 (${d.errors[0].message}).`;
  }
  ui.summary.dataset.matched = d.matched;
  ui.summary.dataset.total = d.total;
  ui.progressText.textContent = "done";
  render();
  compareWithSaved();
}

ui.run.addEventListener("click", () => run(fileBytes ?? new TextEncoder().encode(ui.events.value)));
ui.cancel.addEventListener("click", () => {
  worker.terminate();
  startWorker();
  runId++;
  ui.cancel.disabled = true;
  ui.progressText.textContent = "cancelled";
  // Nothing of the cancelled run stays on screen, so nothing there is out of date.
  clearResults();
  setStale(false, [ui.resultsPane]);
});

/** Rows, summary and detail of the previous run go together. */
function clearResults() {
  rows = [];
  render();
  ui.summary.textContent = "";
  delete ui.summary.dataset.matched;
  delete ui.summary.dataset.total;
  delete ui.summary.dataset.error;
  ui.detail.replaceChildren();
}

// A loaded file is what Evaluate runs until the events text is edited.
let fileBytes = null;
async function loadFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!looksLikeText(bytes)) {
    // Not run: the engine would only say the batch is not JSON, and a
    // row's detail would have no event to show.
    clearTimeout(recomputeTimer);
    clearResults();
    setStale(false, [ui.resultsPane]);
    ui.summary.textContent = `${file.name} is not UTF-8 text (a binary file?): the events must be JSON, a JSON array or NDJSON. Nothing was evaluated.`;
    ui.summary.dataset.error = "binary";
    ui.progressText.textContent = "";
    return;
  }
  fileBytes = bytes;
  ui.events.value = file.size < 1 << 20 ? new TextDecoder().decode(fileBytes) : `(${file.name}: ${(file.size / 1048576).toFixed(1)} MB, evaluated from the file)`;
  run(fileBytes);
}
/**
 * JSON text has no NUL byte and is UTF-8 (RFC 8259 §8.1): a file whose first
 * 64 KiB break either is binary (or UTF-16), not events. The rest is left to
 * the engine, which reports a bad line as that line's error.
 */
function looksLikeText(bytes) {
  const head = bytes.subarray(0, 1 << 16);
  if (head.includes(0)) return false;
  try {
    // stream: a character cut at the 64 KiB boundary is not an error.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

ui.file.addEventListener("change", () => {
  if (ui.file.files[0]) loadFile(ui.file.files[0]);
  // Cleared, so choosing the same file again runs it again.
  ui.file.value = "";
});
ui.events.addEventListener("input", () => {
  fileBytes = null;
  saveEvents();
  edited();
});
ui.drop.addEventListener("dragover", (e) => e.preventDefault());
ui.drop.addEventListener("drop", (e) => {
  e.preventDefault();
  const f = e.dataTransfer.files[0];
  if (f) loadFile(f);
});

ui.sample.addEventListener("click", () => {
  const name = ui.dialect.value === "auto" ? FIRST : ui.dialect.value;
  const s = samples[name];
  ui.spec.value = s.spec;
  ui.events.value = s.events;
  saveAndValidate();
  run(new TextEncoder().encode(s.events));
});

// ------------------------------------------------------------ virtualised table

function render() {
  ui.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
  const first = Math.max(0, Math.floor(ui.viewport.scrollTop / ROW_HEIGHT) - 5);
  const last = Math.min(rows.length, first + Math.ceil(ui.viewport.clientHeight / ROW_HEIGHT) + 10);
  const out = [];
  for (let i = first; i < last; i++) {
    const r = rows[i];
    const status = r.code ? "error" : r.matched ? "matched" : "no";
    const tr = el("div", { className: `row ${status}`, onclick: () => showDetail(r), tabIndex: i === focusRow ? 0 : -1, role: "option" }, [
      el("span", { className: "idx" }, String(r.index)),
      el("span", { className: "line" }, r.line ?? ""),
      el("span", { className: "status" }, status),
      el("span", { className: "reason" }, r.code ? `${r.code}: ${r.reason}` : r.reason),
    ]);
    tr.style.top = `${i * ROW_HEIGHT}px`;
    tr.dataset.index = r.index;
    tr.dataset.pos = i;
    out.push(tr);
  }
  const hadFocus = ui.rows.contains(document.activeElement);
  ui.rows.replaceChildren(...out);
  if (hadFocus) ui.rows.querySelector(`[data-pos="${focusRow}"]`)?.focus();
}

// Keyboard: one row is in the tab order; arrows move, Enter/Space opens it.
let focusRow = 0;
ui.rows.addEventListener("keydown", (e) => {
  const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };
  if (e.key in moves) {
    e.preventDefault();
    focusRow = Math.max(0, Math.min(rows.length - 1, focusRow + moves[e.key]));
    const top = focusRow * ROW_HEIGHT;
    if (top < ui.viewport.scrollTop) ui.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > ui.viewport.scrollTop + ui.viewport.clientHeight) ui.viewport.scrollTop = top + ROW_HEIGHT - ui.viewport.clientHeight;
    render();
    ui.rows.querySelector(`[data-pos="${focusRow}"]`)?.focus();
  } else if ((e.key === "Enter" || e.key === " ") && rows[focusRow]) {
    e.preventDefault();
    showDetail(rows[focusRow]);
  }
});
ui.viewport.addEventListener("scroll", () => requestAnimationFrame(render));

// ------------------------------------------------------------ detail: explanation + delivery

let detailId = 0;
function showDetail(row) {
  const id = ++detailId;
  // A row that could not be read has no event to explain: its own error says why.
  if (row.code) {
    renderDetail(row, { error: `could not be read: ${row.code}: ${row.reason}` });
    return;
  }
  waiting.set(id, (d) => {
    waiting.delete(id);
    renderDetail(row, d);
  });
  send({ type: "detail", id, index: row.index, line: row.line });
}

function renderDetail(row, d) {
  const parts = [el("h3", {}, `Event ${row.index}${row.line ? ` (line ${row.line})` : ""}`)];
  if (d.error) {
    parts.push(el("p", { className: "error" }, d.error));
    ui.detail.replaceChildren(...parts);
    return;
  }
  // The spec's checks as a tree with pass/fail marks, beside the event's JSON.
  const explanation = document.createElement("hookmatch-explanation");
  explanation.explanation = d.explanation;
  explanation.event = d.event;
  parts.push(explanation);
  if (d.delivery) {
    const delivery = document.createElement("hookmatch-delivery");
    delivery.delivery = d.delivery;
    parts.push(el("section", { className: "delivery" }, [el("h4", {}, "Delivery"), delivery]));
  }
  if (!d.explanation.matched) parts.push(needView(row));
  ui.detail.replaceChildren(...parts);
  ui.detail.scrollIntoView({ block: "nearest" });
}

/** "What would this event need?": the fewest changes that make it fire. */
function needView(row) {
  const box = el("section", { className: "need" });
  const button = el("button", { className: "need-button" }, "What would this event need to fire?");
  button.addEventListener("click", async () => {
    const d = await ask({ type: "example", spec: ui.spec.value, dialect: ui.dialect.value, index: row.index });
    if (d.error || !d.event) {
      box.append(el("p", { className: "error" }, d.error ?? "no event can fire this subscription"));
      return;
    }
    const changes = changedPaths(d.base, d.event);
    box.append(
      el("p", {}, changes.length ? `Change ${changes.join(", ")}:` : "Nothing to change:"),
      el("pre", { className: "need-event", tabIndex: 0 }, JSON.stringify(d.event, null, 2)),
    );
  });
  box.append(button);
  return box;
}

/** JSON Pointers where two JSON values differ. */
function changedPaths(a, b, path = "") {
  const isObj = (v) => v && typeof v === "object" && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths(a[k], b[k], `${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

// ------------------------------------------------------------ base64 box

function b64(direction) {
  const alphabet = $("b64-alphabet").value;
  const out = $("b64-output");
  try {
    out.value = direction === "encode" ? encodeBase64($("b64-input").value, { alphabet }) : new TextDecoder().decode(decodeBase64($("b64-input").value.trim(), { alphabet }));
    out.classList.remove("error");
  } catch (e) {
    out.value = `${e.code}: ${e.message}`;
    out.classList.add("error");
  }
}
$("b64-encode").addEventListener("click", () => b64("encode"));
$("b64-decode").addEventListener("click", () => b64("decode"));

// ------------------------------------------------------------ start

function el(tag, props, children) {
  const n = Object.assign(document.createElement(tag), props);
  if (children !== undefined) n.append(...(Array.isArray(children) ? children : [children]));
  return n;
}

const saved = JSON.parse(localStorage.getItem(STORE) || "null");
if (saved) {
  ui.spec.value = saved.spec;
  ui.dialect.value = saved.dialect;
  ui.events.value = localStorage.getItem(`${STORE}.events`) ?? "";
} else {
  ui.spec.value = samples[FIRST].spec;
  ui.events.value = samples[FIRST].events;
}
saveAndValidate();
// The first view shows results, not an empty table.
if (ui.events.value.trim()) run(new TextEncoder().encode(ui.events.value));
if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
  navigator.serviceWorker.register("./sw.js").catch(() => {});
}
window.hookmatchPlayground = { ready: true, position };
