// The app a Vite user writes: the package imported by name, no Vite config.
// The browser entry has no analysis: lint throws invalid_input naming the
// import until the app imports hookmatch/analysis, which loads the full
// module; then lint answers.
import { Subscription, lint } from "hookmatch";

const sub = Subscription.compile({ url: "https://kb.example.com/h", token: "k", events: ["task.create"] });
const never = { objCode: "TASK", eventType: "UPDATE", url: "https://h.example.com/x", authToken: "t", filters: [{ fieldName: "a", fieldValue: "1" }, { fieldName: "a", fieldValue: "2" }] };
const result = { dialect: sub.dialect, matches: sub.matches({ event_name: "task.create", event_data: {} }) };
try {
  lint(never);
  result.before = "answered";
} catch (e) {
  result.before = `${e.code}: ${/import "hookmatch\/analysis"/.test(e.message) ? "names the import" : e.message}`;
}
// The wasm the page fetched before it asked for the analysis.
result.wasmBefore = performance.getEntriesByType("resource").map((r) => r.name.split("/").pop().split("?")[0]).filter((n) => n.endsWith(".wasm"));
import("hookmatch/analysis").then(
  () => {
    result.lint = lint(never).map((d) => d.code);
    window.result = result;
  },
  (e) => {
    window.result = { error: String(e) };
  },
);
