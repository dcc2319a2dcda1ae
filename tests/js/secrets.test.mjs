// Secret audit: specs of every dialect carry distinctive secrets; every
// output of every API is searched for them. Only deliver may carry one, and
// only where the vendor puts it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Subscription, SubscriptionSet, validate, dialects } from "hookmatch";
import { maskDelivery, curlCommand } from "hookmatch/elements";

const S = { wf: "SEKRIT-wf-authToken-4471", kb: "SEKRIT-kb-token-9921", rc: "SEKRIT-rc-secret-1187" };
const ALL = Object.values(S);

const specs = {
  workfront: { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com/wf", authToken: S.wf, filters: [{ fieldName: "status", fieldValue: "CUR" }] },
  kanboard: { url: "https://k.example.com/hook?x=1", token: S.kb, filters: [{ fieldName: "color_id", fieldValue: "red" }] },
  ricloud: { url: "https://r.example.com/hooks", secret: S.rc, state: "valid", filters: [{ fieldName: "state", fieldValue: "ok" }] },
  asana: { resource: "1", target: "https://a.example.com/hook" },
  rservice: { event: "problem.update", uri: "https://s.example.com/hook" },
};
const events = {
  workfront: { eventType: "UPDATE", newState: { objCode: "PROJ", status: "CUR" }, oldState: {} },
  kanboard: { event_name: "task.create", event_data: { color_id: "red" } },
  ricloud: { id: "e1", type: "task", action: "done", data: { state: "ok" } },
  asana: { action: "added", resource: { gid: "2", resource_type: "story" } },
  rservice: { event: "problem.update", object_id: 1, payload: {} },
};

function noSecret(where, value) {
  const text = typeof value === "string" ? value : `${JSON.stringify(value)} ${inspect(value, { depth: 10, showHidden: true })}`;
  for (const s of ALL) assert.ok(!text.includes(s), `${where} leaks ${s}: ${text.slice(0, 200)}`);
}

test("no output but deliver carries a secret", () => {
  let found = 0;
  for (const [dialect, spec] of Object.entries(specs)) {
    const sub = Subscription.compile(spec);
    noSecret(`${dialect} toJSON`, sub.toJSON());
    noSecret(`${dialect} String()`, String(sub));
    noSecret(`${dialect} inspect`, inspect(sub));
    noSecret(`${dialect} explain`, sub.explain(events[dialect]));
    noSecret(`${dialect} preview`, sub.preview([events[dialect], events[dialect]], { details: true }));
    noSecret(`${dialect} validate`, validate(spec));
    // Invalid variants: messages and diagnostics name fields, never values.
    for (const broken of [{ ...spec, url: "nope" }, { ...spec, filters: [{ fieldName: "x", fieldValue: 1, comparison: "get" }] }, { ...spec, extra: S.wf }]) {
      noSecret(`${dialect} validate(broken)`, validate(broken, { dialect }));
      try {
        Subscription.compile(broken, { dialect });
      } catch (e) {
        noSecret(`${dialect} error`, `${e.message} ${e.path} ${JSON.stringify(e.diagnostics)} ${inspect(e)}`);
      }
    }
    const d = sub.deliver(events[dialect]);
    const placed = JSON.stringify(d);
    noSecret(`${dialect} delivery body`, d.body);
    if (dialect === "workfront") assert.equal(d.headers.Authorization, `Bearer ${S.wf}`);
    if (dialect === "kanboard") assert.equal(new URL(d.url).searchParams.get("token"), S.kb);
    if (dialect === "ricloud") noSecret("ricloud delivery", placed);
    found += ALL.filter((s) => placed.includes(s)).length;
    sub.free();
  }
  assert.equal(found, 2, "the secrets appear exactly where Workfront and Kanboard put them");
});

test("sets and wrong inputs do not leak either", () => {
  const set = SubscriptionSet.compile(Object.entries(specs).map(([id, spec]) => ({ id, spec })));
  noSecret("set errors", set.errors);
  for (const e of Object.values(events)) noSecret("set match", set.match(e));
  noSecret("set preview", set.preview(Object.values(events)));
  for (const id of Object.keys(specs)) noSecret("set explain", set.explain(events[id], id));
  const bad = SubscriptionSet.compile([{ id: "x", spec: { ...specs.workfront, eventType: "nope" } }]);
  noSecret("set compile errors", bad.errors);
  set.free();
});

test("every dialect of the registry is audited, its secret fields holding the audit's secrets", () => {
  for (const d of dialects()) {
    assert.ok(specs[d.name], `no audit spec for ${d.name}`);
    for (const field of d.secrets) assert.ok(ALL.includes(specs[d.name][field]), `${d.name}.${field}`);
  }
});

// Masked output (the element, "Copy as curl (secrets masked)", the CLI)
// shows no secret and no whole signature, for every dialect and every way a
// signature is added; revealed output shows them where the vendor puts them.
test("masked deliveries show no secret and no whole signature", () => {
  const key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const asked = [{}, { secret: "SEKRIT-handshake-5562" }, { signature: "standard-webhooks", secret: key }];
  let checked = 0;
  for (const { name } of dialects()) {
    const sub = Subscription.compile(specs[name]);
    for (const opts of asked) {
      const d = sub.deliver(events[name], { timestamp: 1700000000, ...opts });
      const hidden = [...ALL, ...(opts.secret ? [opts.secret] : []), ...d.secrets.filter((p) => p.header).map((p) => d.headers[p.header])];
      const masked = JSON.stringify(maskDelivery(d)) + curlCommand(d);
      for (const h of hidden) {
        // A header keeps its first four characters (and an auth scheme): never the rest.
        const tail = h.replace(/^[A-Za-z]+ /, "").slice(4);
        assert.ok(!masked.includes(tail), `${name} ${JSON.stringify(opts)} shows ${tail}`);
      }
      const revealed = JSON.stringify(maskDelivery(d, true)) + curlCommand(d, true);
      for (const h of hidden.filter((x) => JSON.stringify(d).includes(x))) assert.ok(revealed.includes(h), `${name}: revealed ${h}`);
      checked++;
    }
    sub.free();
  }
  assert.equal(checked, dialects().length * asked.length);
});

// A URL that is refused is quoted in the diagnostic without the parts that
// may hold a secret (user information, query, fragment): a diagnostic is
// shown, logged and pasted.
test("an invalid_url diagnostic does not quote a secret the URL holds", () => {
  const secret = "SEKRIT-in-url-3391";
  const urls = [`htps://k.example.com/hook?token=${secret}`, `https://user:${secret}@k.example.com:99999/`, `ftp://k.example.com/#${secret}`];
  for (const url of urls) {
    for (const spec of [
      { url, token: "t" },
      { objCode: "TASK", eventType: "CREATE", url, authToken: "t" },
      { resource: "1", target: url },
      { url, secret: "s", state: "valid" },
      { event: "request.create", uri: url },
    ]) {
      const diagnostics = validate(spec);
      assert.ok(diagnostics.some((d) => d.code === "invalid_url"), `${JSON.stringify(spec)}: ${JSON.stringify(diagnostics)}`);
      assert.doesNotMatch(JSON.stringify(diagnostics), new RegExp(secret), JSON.stringify(spec));
    }
  }
});
