// The playground's evaluator: runs in a Web Worker so a 50 MB input never
// freezes the page. The page may terminate it at any time (cancel).
import { Subscription, lint, diff } from "hookmatch";
// The browser entry leaves the analysis (lint's findings, diff, example) to
// an entry of its own; the worker uses all of it, so it loads it.
import "hookmatch/analysis";

let state = { sub: null, bytes: null, run: null };

function compile(spec, dialect) {
  const options = dialect && dialect !== "auto" ? { dialect } : undefined;
  let diagnostics;
  try {
    // lint: validate's diagnostics plus what the analysis proves.
    diagnostics = lint(spec, options);
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

self.onmessage = async ({ data: msg }) => {
  if (msg.type === "validate") {
    const { diagnostics, sub } = compile(msg.spec, msg.dialect);
    self.postMessage({ type: "diagnostics", id: msg.id, diagnostics, dialect: sub ? sub.dialect : null });
    sub?.free();
    return;
  }
  if (msg.type === "run") {
    state.run?.abort();
    state.sub?.free();
    const { sub, diagnostics } = compile(msg.spec, msg.dialect);
    const run = new AbortController();
    state = { sub, bytes: new Uint8Array(msg.input), run };
    if (!sub) {
      self.postMessage({ type: "done", id: msg.id, total: 0, matched: 0, errors: [], invalid: diagnostics });
      return;
    }
    // The core reads the batch (format, lines, envelopes); this only cuts
    // it into 1 MB chunks so progress can be shown, and passes the rows on.
    const size = state.bytes.length;
    let sent = 0;
    async function* chunks() {
      for (let at = 0; at < size || (at === 0 && size === 0); at += 1 << 20) {
        yield state.bytes.subarray(at, Math.min(size, at + (1 << 20)));
        if (size === 0) break;
      }
    }
    let result;
    try {
      result = await sub.previewStream(chunks(), {
        details: true,
        // The table lists every event (virtualised) and the summary counts every error.
        maxErrors: Number.MAX_SAFE_INTEGER,
        maxResults: Number.MAX_SAFE_INTEGER,
        signal: run.signal,
        onProgress: ({ bytes, events, matched }) => {
          self.postMessage({ type: "progress", id: msg.id, processed: bytes, size, total: events, matched });
          sent = events;
        },
      });
    } catch (e) {
      if (e?.name === "AbortError") return;
      self.postMessage({ type: "done", id: msg.id, total: 0, matched: 0, errors: [{ index: 0, code: e.code || "error", message: e.message }] });
      return;
    }
    self.postMessage({ type: "done", id: msg.id, total: result.total, matched: result.matched, errors: result.errors, rows: result.results, sent });
    return;
  }
  if (msg.type === "example") {
    // An event that fires the spec, or (with base) the fewest changes to one.
    const { sub, diagnostics } = compile(msg.spec, msg.dialect);
    if (!sub) {
      self.postMessage({ type: "example", id: msg.id, error: diagnostics.find((d) => d.severity === "error")?.message ?? "invalid spec" });
      return;
    }
    try {
      const base = msg.index === undefined ? undefined : JSON.parse(sub.__eventAt(state.bytes, msg.index, {}));
      const event = sub.example(base ? { base } : {});
      self.postMessage({ type: "example", id: msg.id, event, base });
    } catch (e) {
      self.postMessage({ type: "example", id: msg.id, error: `${e.code ?? "error"}: ${e.message}` });
    } finally {
      sub.free();
    }
    return;
  }
  if (msg.type === "diff") {
    // "If you save this edit": the saved spec against the edited one, over
    // the loaded events.
    try {
      const options = msg.dialect && msg.dialect !== "auto" ? { dialect: msg.dialect } : {};
      if (state.bytes?.length) options.events = new TextDecoder().decode(state.bytes);
      self.postMessage({ type: "diff", id: msg.id, result: diff(msg.before, msg.after, options) });
    } catch (e) {
      self.postMessage({ type: "diff", id: msg.id, error: `${e.code ?? "error"}${e.path ? ` at ${e.path}` : ""}: ${e.message}` });
    }
    return;
  }
  if (msg.type === "detail") {
    try {
      const event = state.sub.__eventAt(state.bytes, msg.index, {});
      const explanation = state.sub.explain(event);
      const delivery = explanation.matched ? state.sub.deliver(event) : null;
      self.postMessage({ type: "detail", id: msg.id, index: msg.index, event, explanation, delivery });
    } catch (e) {
      self.postMessage({ type: "detail", id: msg.id, index: msg.index, error: `${e.code ?? "error"}: ${e.message}` });
    }
  }
};
self.postMessage({ type: "ready" });
