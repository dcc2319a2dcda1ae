// Type-level tests of the generated declarations: this file must compile
// (tsc --noEmit, run by `make test-js`), and each @ts-expect-error line must
// be an error, which proves the shapes are declared and not `any`.
import {
  Subscription,
  validate,
  encodeBase64,
  decodeBase64,
  setLimits,
  type Check,
  type Diagnostic,
  type Explanation,
  type PreviewResult,
  type Delivery,
  HookmatchError,
  type ErrorCode,
  type WorkfrontSpec,
} from "hookmatch";

const wf = { objCode: "PROJ", eventType: "UPDATE", url: "https://hooks.example.com/p", authToken: "t" } as const;
const sub: Subscription = Subscription.compile(wf, { dialect: "workfront" });
Subscription.compile('{"objCode":"PROJ"}');
const dialect: "workfront" | "asana" | "kanboard" | "rservice" | "ricloud" = sub.dialect;
const m: boolean = sub.matches({ eventType: "UPDATE" });
sub.matches(new Uint8Array(0));
const x: Explanation = sub.explain("{}");
const c: Check = x.gate[0];
const passed: boolean = c.passed;
const present: boolean = c.present;
const reason: string = c.reason;
const nested: Check[] | undefined = x.filters[0].filters;
const p: PreviewResult = sub.preview([{}, {}]);
const total: number = p.total;
const idx: number[] = p.matches;
const line: number | undefined = p.errors[0]?.line;
const rows = sub.preview("", { details: true }).results;
const d: Delivery | null = sub.deliver({}, { subscriptionId: "x", eventTime: { epochSecond: 1, nano: 0 } });
if (d) {
  const h: Record<string, string> = d.headers;
  const method: "POST" = d.method;
}
const diags: Diagnostic[] = validate(wf);
const sev: "error" | "warning" = diags[0].severity;
const s: string = encodeBase64("x", { alphabet: "url" });
const bytes: Uint8Array = decodeBase64(s);
setLimits({ maxInputBytes: 1 });
const spec: Record<string, unknown> = sub.toJSON();
sub.free();

try {
  validate("{");
} catch (e) {
  if (e instanceof HookmatchError) {
    const code: ErrorCode = e.code;
    const path: string | undefined = e.path;
    // @ts-expect-error the code is one of the known codes
    const bogus: typeof e.code = "no_such_code";
  }
}

// Specs complete per dialect: a typed Workfront spec names its comparisons.
const typed: WorkfrontSpec = {
  objCode: "TASK",
  eventType: "UPDATE",
  url: "https://hooks.example.com/t",
  authToken: "x",
  filters: [{ fieldName: "status", fieldValue: "CPL", comparison: "eq", state: "newState" }],
};
Subscription.compile(typed);
Subscription.compile(sub.toJSON());
// @ts-expect-error "equals" is not a Workfront comparison
const badComparison: WorkfrontSpec = { ...typed, filters: [{ fieldName: "x", comparison: "equals" }] };
// Disposal compiles without @types/node or the esnext.disposable lib.
sub[Symbol.dispose]();

// @ts-expect-error a number is not an event
sub.matches(42);
// @ts-expect-error explain returns an Explanation, not a boolean
const wrong: boolean = sub.explain("{}");
// @ts-expect-error unknown dialect name
Subscription.compile({}, { dialect: "jira" });
// @ts-expect-error Check has no "value" field
c.value;
// @ts-expect-error decodeBase64 returns bytes
const notString: string = decodeBase64("");

export { dialect, m, passed, present, reason, nested, total, idx, line, rows, sev, bytes, spec };

import { SubscriptionSet, type SetError, type SetPreviewResult } from "hookmatch";
const set = SubscriptionSet.compile([{ id: "a", spec: wf }]);
const ids: string[] = set.match({});
const errs: SetError[] = set.errors;
const n: number = set.size;
const sp: SetPreviewResult = set.preview([]);
const counts: Record<string, number> = sp.counts;
const removed: boolean = set.remove("a");
set.add("b", { url: "x" }, { dialect: "kanboard" });
set.free();
export { ids, errs, n, counts, removed };

// set.deliver, and a member's own options and delivery defaults.
import type { SetDelivery, SetEntry } from "hookmatch";
const member: SetEntry = { id: "w", spec: wf, options: { allowPrivateNetworks: true }, deliver: { subscriptionId: "s1" } };
const edge = SubscriptionSet.compile([member]);
const routed: SetDelivery[] = edge.deliver({}, { secret: "s" });
const firstUrl: string | undefined = routed[0]?.delivery.url;
edge.add("k", { url: "http://10.0.0.1/k", token: "t" }, { options: { allowPrivateNetworks: true }, deliver: { signature: "standard-webhooks" } });
// @ts-expect-error deliver takes deliver's options
edge.add("x", { url: "https://k.example.com", token: "t" }, { deliver: { secrett: "s" } });
// @ts-expect-error set.deliver needs an event
edge.deliver();
edge.free();
export { routed, firstUrl };

import { verify } from "hookmatch";
const ok: boolean = verify({ headers: {}, body: "" }, "secret", { tolerance: 60 });
// @ts-expect-error the secret is a string
verify({ headers: {}, body: "" }, 42);
export { ok };

import { lint, diff, type Diff, type SetLintEntry } from "hookmatch";
const findings: Diagnostic[] = lint(wf, { dialect: "workfront" });
const edit: Diff = diff(wf, '{"objCode":"TASK"}', { events: [] });
const relation: "equivalent" | "narrower" | "wider" | "overlapping" | "disjoint" | "unknown" = edit.relation;
const gainedIdx: number[] | undefined = edit.events?.gained;
const ex: Record<string, unknown> | null = sub.example({ fail: "/filters/0", base: {} });
const setFindings: SetLintEntry[] = set.lint();
// @ts-expect-error fail is an index or a pointer
sub.example({ fail: true });
export { findings, relation, gainedIdx, ex, setFindings };

import { HookmatchDelivery, defineElements, curlCommand } from "hookmatch/elements";
const deliveryElement: HookmatchDelivery = document.createElement("hookmatch-delivery");
deliveryElement.delivery = null;
defineElements();
// @ts-expect-error a delivery view takes a Delivery
deliveryElement.delivery = "POST";
const diagnosticsElement = document.createElement("hookmatch-diagnostics");
diagnosticsElement.locate = (d) => (d.path === "" ? null : { line: 1, column: 1 });
diagnosticsElement.addEventListener("hookmatch-select", (e) => e.detail.code);
deliveryElement.addEventListener("hookmatch-copy", (e) => e.detail.text.length);
document.createElement("hookmatch-explanation").event = { eventType: "UPDATE" };
const curl: string = curlCommand({ method: "POST", url: "https://h.example.com", headers: {}, body: "{}" }, true);
// @ts-expect-error locate returns a location
diagnosticsElement.locate = () => "1:1";
export { deliveryElement, curl };

// Typed spec literals: an object literal is checked against the dialects'
// types wherever a spec goes (compile, validate, lint, diff, set entries,
// set.add), so a comparison or a key no dialect knows fails to compile.
import { type SpecInput, type AsanaSpec, type SpecJSON } from "hookmatch";
const hook = { url: "https://hooks.example.com/t", authToken: "x" };
// @ts-expect-error "equals" is not a Workfront comparison (it is "eq")
Subscription.compile({ objCode: "TASK", eventType: "UPDATE", ...hook, filters: [{ fieldName: "status", comparison: "equals" }] });
// @ts-expect-error a misspelt key ("fitlers") is no dialect's
Subscription.compile({ objCode: "TASK", eventType: "UPDATE", ...hook, fitlers: [] });
// @ts-expect-error a filter key is checked too ("fieldname")
validate({ objCode: "TASK", eventType: "UPDATE", ...hook, filters: [{ fieldname: "status" }] });
// @ts-expect-error "UPDATED" is not a Workfront event type
lint({ objCode: "TASK", eventType: "UPDATED", ...hook });
// @ts-expect-error diff checks its second spec as its first
diff(wf, { ...wf, filterConnector: "XOR" });
// @ts-expect-error a set entry's spec is checked
SubscriptionSet.compile([{ id: "a", spec: { ...wf, filters: [{ fieldName: "x", state: "nowState" }] } }]);
// @ts-expect-error set.add checks its spec
set.add("c", { ...wf, base64: true });
// @ts-expect-error an Asana filter's action is one of Asana's five
Subscription.compile({ resource: "1", target: "https://hooks.example.com/a", filters: [{ action: "change" }] });
// @ts-expect-error a group's connector is "AND" or "OR"
Subscription.compile({ ...wf, filters: [{ type: "group", connector: "and", filters: [] }] });
// @ts-expect-error a Workfront spec needs its authToken
validate({ objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t" });

// What still compiles: JSON text, JSON.parse output (any), toJSON() output,
// `as const` specs, Asana's and Workfront's GET responses pasted back, and
// a value typed unknown after its one documented step, `as SpecInput`.
Subscription.compile('{"objCode": "TASK", "comparison": "equals"}');
const parsed = JSON.parse('{"objCode": "TASK"}');
validate(parsed);
const normalized: SpecJSON = sub.toJSON();
validate(normalized);
lint(sub.toJSON());
diff(sub.toJSON(), { ...sub.toJSON(), filters: [] });
SubscriptionSet.compile([{ id: "a", spec: sub.toJSON() }]);
const asResponse: AsanaSpec = {
  gid: "12", resource: { gid: "1", resource_type: "project", name: "P" }, target: "https://hooks.example.com/a",
  active: true, created_at: "2026-01-01T00:00:00.000Z", last_failure_at: null, delivery_retry_count: 0,
  filters: [{ resource_type: "task", action: "changed", fields: ["due_on"] }],
};
Subscription.compile(asResponse);
Subscription.compile({ ...wf, id: "5", customerId: "c", filters: [{ fieldName: "x", comparison: "changed" }] });
Subscription.compile({ ...wf, filters: [{ type: "group", connector: "OR", filters: [{ fieldName: "a" }, { fieldName: "b" }] }] } as const);
declare const body: unknown;
// @ts-expect-error an unknown value is not a spec until the caller says so
validate(body);
validate(body as SpecInput);
Subscription.compile(body as SpecInput);
// A Record<string, unknown> says nothing of a dialect: it is not a spec
// (the 0.1 SpecInput took one, and with it any literal); type it as Spec.
declare const loose: Record<string, unknown>;
// @ts-expect-error a Record<string, unknown> is not a SpecInput
validate(loose);
// A key of another dialect is not this dialect's: each member of Spec has
// the other dialects' keys as never (OnlyKeysOf).
// @ts-expect-error events is Kanboard's, not Workfront's
Subscription.compile({ ...wf, events: ["task.create"] });
// @ts-expect-error url is not Asana's (it is target)
validate({ resource: "1", target: "https://hooks.example.com/a", url: "https://hooks.example.com/a" });
// @ts-expect-error secret is ricloud's, not Kanboard's
lint({ url: "https://hooks.example.com/kb", token: "t", secret: "s" });
// A ricloud config pasted back with its response keys still compiles.
validate({ url: "https://hooks.example.com/r", state: "valid", organisation: 1, id: 7, resource: "webhook_config" });
// Asana's active is read (false never fires): a boolean, as in its responses.
// @ts-expect-error active is a boolean
validate({ resource: "1", target: "https://hooks.example.com/a", active: "no" });
