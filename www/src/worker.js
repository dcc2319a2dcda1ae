// The playground's evaluator: runs in a Web Worker so a 50 MB input never
// freezes the page. The page may terminate it at any time (cancel).
import { Subscription, validate } from "hookmatch";
import { previewChunks, looksLikeNdjson } from "../../pkg/batch.js";

let state = { sub: null, bytes: null, ndjson: false };

function compile(spec, dialect) {
  const options = dialect && dialect !== "auto" ? { dialect } : undefined;
  let diagnostics;
  try {
    diagnostics = validate(spec, options);
  } catch (e) {
    diagnostics = [{ severity: "error", code: e.code || "error", path: "", message: e.message }];
  }
  let sub = null;
  if (!diagnostics.some((d) => d.severity === "error")) {
    try {
      sub = Subscription.compile(spec, options);
    } catch (e) {
      diagnostics.push({ severity: "error", code: e.code, path: e.path ?? "", message: e.message });
    }
  }
  return { sub, diagnostics };
}

/** The text of event `index` (counted as preview counts them). */
function eventAt(index, line) {
  const bytes = state.bytes;
  const text = new TextDecoder();
  if (state.ndjson && line !== undefined) {
    let start = 0;
    for (let l = 1; l < line; l++) start = bytes.indexOf(10, start) + 1;
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const doc = JSON.parse(text.decode(bytes.subarray(start, end)));
    if (Array.isArray(doc?.events) && !("action" in doc)) {
      // An Asana body on one line: its events are numbered consecutively.
      const first = state.rows.findIndex((r) => r.line === line);
      return doc.events[index - state.rows[first].index];
    }
    return doc;
  }
  const doc = JSON.parse(text.decode(bytes));
  if (Array.isArray(doc)) return doc[index];
  if (Array.isArray(doc?.events) && !("action" in doc)) return doc.events[index];
  return doc;
}

self.onmessage = ({ data: msg }) => {
  if (msg.type === "validate") {
    const { diagnostics, sub } = compile(msg.spec, msg.dialect);
    self.postMessage({ type: "diagnostics", id: msg.id, diagnostics, dialect: sub ? sub.dialect : null });
    sub?.free();
    return;
  }
  if (msg.type === "run") {
    state.sub?.free();
    const { sub, diagnostics } = compile(msg.spec, msg.dialect);
    state = { sub, bytes: new Uint8Array(msg.input), ndjson: false, rows: [] };
    if (!sub) {
      self.postMessage({ type: "done", id: msg.id, total: 0, matched: 0, errors: [], invalid: diagnostics });
      return;
    }
    state.ndjson = looksLikeNdjson(state.bytes);
    let last = { total: 0, matched: 0 };
    const errors = [];
    try {
      for (const step of previewChunks(sub, state.bytes, { chunkBytes: 1 << 20 })) {
        state.rows.push(...step.rows);
        errors.push(...step.errors);
        last = step;
        self.postMessage({ type: "progress", id: msg.id, processed: step.processed, size: step.size, total: step.total, matched: step.matched, rows: step.rows });
      }
    } catch (e) {
      errors.push({ index: 0, code: e.code || "error", message: e.message });
    }
    self.postMessage({ type: "done", id: msg.id, total: last.total, matched: last.matched, errors });
    return;
  }
  if (msg.type === "detail") {
    try {
      const event = eventAt(msg.index, msg.line);
      const explanation = state.sub.explain(event);
      const delivery = explanation.matched ? state.sub.deliver(event) : null;
      self.postMessage({ type: "detail", id: msg.id, index: msg.index, explanation, delivery });
    } catch (e) {
      self.postMessage({ type: "detail", id: msg.id, index: msg.index, error: `${e.code ?? "error"}: ${e.message}` });
    }
  }
};
self.postMessage({ type: "ready" });
