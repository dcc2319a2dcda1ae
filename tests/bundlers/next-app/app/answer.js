// What the page and the route handler both ask hookmatch, as a user writes it.
import { Subscription, lint } from "hookmatch";
// lint needs the analysis, which the browser entry loads only on request.
import "hookmatch/analysis";

export const spec = { url: "https://kb.example.com/h", token: "k", events: ["task.create"] };

export function answer() {
  const sub = Subscription.compile(spec);
  const diagnostics = lint({ objCode: "TASK", eventType: "UPDATE", url: "https://h.example.com/x", authToken: "t", filters: [{ fieldName: "a", fieldValue: "1" }, { fieldName: "a", fieldValue: "2" }] });
  return { dialect: sub.dialect, matches: sub.matches({ event_name: "task.create", event_data: {} }), lint: diagnostics.map((d) => d.code), diagnostics };
}
