// A tiny admin UI written with another framework (Preact), using
// hookmatch's elements inside its own tree, as an admin UI would.
import { h, render } from "preact";
import { Subscription, validate } from "hookmatch";
import "hookmatch/elements";

const spec = { objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken: "very-secret-token", filters: [{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "priority", fieldValue: "2", comparison: "gte" }] };
const event = { eventType: "UPDATE", newState: { objCode: "TASK", status: "CUR", priority: 1 }, oldState: {} };
const sub = Subscription.compile(spec);
const fires = { ...event, newState: { ...event.newState, priority: 3 } };

function App() {
  return h("div", { class: "admin" }, [
    h("h1", null, "Webhook editor"),
    h("hookmatch-diagnostics", { id: "diags", ref: (el) => el && (el.diagnostics = validate({ ...spec, eventType: "UPDATED" })) }),
    // An editor's own line:column mapping (here: the pointer's depth, for the test to see it used).
    h("hookmatch-diagnostics", { id: "located", ref: (el) => el && ((el.locate = (d) => ({ line: d.path.split("/").length, column: 3 })), (el.diagnostics = validate({ ...spec, eventType: "UPDATED" }))) }),
    h("hookmatch-explanation", { id: "explain", ref: (el) => el && ((el.explanation = sub.explain(event)), (el.event = JSON.stringify(event))) }),
    h("hookmatch-delivery", { id: "delivery", ref: (el) => el && (el.delivery = sub.deliver(fires)) }),
  ]);
}
render(h(App), document.getElementById("app"));
window.appReady = true;
