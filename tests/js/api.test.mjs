// The public API of the built package, imported by its package name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Subscription, validate, encodeBase64, decodeBase64, setLimits } from "hookmatch";
import { DIALECTS, read, tableIn, specText, eventText, options, throwsHookmatch } from "./helpers.mjs";

const SPEC = read("specs/seed-create-request.json");
const UPDATE = read("events/update.json");
const CREATE = read("events/create.json");

test("every fixture case of every dialect answers as the table says (same tables as the native tests)", () => {
  let n = 0;
  for (const dialect of DIALECTS) {
    for (const c of tableIn(dialect, "cases.json")) {
      n++;
      const name = `${dialect}: ${c.name}`;
      const sub = Subscription.compile(specText(c, dialect), options(c, dialect));
      assert.equal(sub.dialect, dialect, name);
      const text = eventText(c, dialect);
      if (c.error) {
        throwsHookmatch(assert, () => sub.matches(text), c.error, c.path);
      } else {
        assert.equal(sub.matches(text), c.matched, name);
        assert.equal(sub.matches(JSON.parse(text)), c.matched, `${name} (object)`);
        const x = sub.explain(text);
        assert.equal(x.matched, c.matched, name);
        if (c.failing) {
          const first = [...x.gate, ...x.filters].find((k) => !k.passed);
          assert.equal(first.field, c.failing, name);
        }
      }
      sub.free();
    }
  }
  assert.ok(n >= 85, `${n} cases`);
});

test("every validation case of every dialect gives the table's diagnostics", () => {
  for (const dialect of DIALECTS) {
    for (const c of tableIn(dialect, "validation.json")) {
      const name = `${dialect}: ${c.name}`;
      const diags = validate(specText(c, dialect), options(c, dialect));
      const got = diags.map((d) => [d.severity, d.code, d.path]).sort();
      const want = c.diagnostics.map((d) => [...d]).sort();
      assert.deepEqual(got, want, name);
      if (c.message) assert.ok(diags.some((d) => d.message.includes(c.message)), name);
    }
  }
});

test("compile accepts objects and JSON text; dialect is detected", () => {
  const a = Subscription.compile(SPEC);
  const b = Subscription.compile(JSON.parse(SPEC), { dialect: "workfront" });
  assert.equal(a.dialect, "workfront");
  assert.equal(b.dialect, "workfront");
  assert.equal(a.matches(UPDATE), true);
  assert.equal(b.matches(new TextEncoder().encode(UPDATE)), true);
  assert.equal(a.matches(CREATE), false);
});

test("compile of an invalid spec throws the first error diagnostic and carries all of them", () => {
  const spec = JSON.parse(SPEC);
  spec.eventType = "update";
  spec.filters = [{ fieldName: "name", fieldValue: "x", comparison: "get" }];
  const err = throwsHookmatch(assert, () => Subscription.compile(spec), "unknown_event_type", "/eventType");
  assert.match(err.message, /did you mean "UPDATE"\?/);
  assert.ok(Array.isArray(err.diagnostics));
  assert.deepEqual(
    err.diagnostics.map((d) => d.code),
    ["unknown_event_type", "unknown_comparison"],
  );
  assert.equal(err.diagnostics[1].path, "/filters/0/comparison");
  assert.equal(err.diagnostics[1].message, 'unknown comparison "get"; did you mean "gte"?');
});

test("malformed spec JSON throws invalid_json with line and column", () => {
  const err = throwsHookmatch(assert, () => Subscription.compile('{\n  "objCode": "PROJ",\n  "eventType": }'), "invalid_json");
  assert.equal(err.line, 3);
  assert.equal(typeof err.column, "number");
});

test("unknown_dialect: undetectable specs throw; a bad dialect option throws", () => {
  const err = throwsHookmatch(assert, () => Subscription.compile({ name: "x" }), "unknown_dialect");
  assert.match(err.message, /workfront needs objCode/);
  throwsHookmatch(assert, () => Subscription.compile(SPEC, { dialect: "workfrnt" }), "unknown_dialect");
  throwsHookmatch(assert, () => validate(SPEC, { dialect: "nope" }), "unknown_dialect");
});

test("explain: one check per gate condition and per filter, with the contract's fields", () => {
  const sub = Subscription.compile({
    ...JSON.parse(SPEC),
    objId: "59d7ddf7000002322d791eb08bafddfb",
    filters: [
      { fieldName: "name", fieldValue: "updated", comparison: "contains" },
      { fieldName: "plannedCompletionDate", fieldValue: "2017-10-06T15:00:00Z", comparison: "gte" },
      {
        type: "group",
        connector: "OR",
        filters: [
          { fieldName: "status", fieldValue: "CUR" },
          { fieldName: "priority", fieldValue: 3, comparison: "gt" },
        ],
      },
    ],
    filterConnector: "AND",
  });
  const x = sub.explain(UPDATE);
  assert.equal(x.matched, true);
  assert.deepEqual(x.gate.map((c) => c.field), ["eventType", "objCode", "objId"]);
  assert.equal(x.connector, "AND");
  assert.equal(x.filters.length, 3);
  for (const c of [...x.gate, ...x.filters]) {
    for (const k of ["field", "comparison", "expected", "actual", "present", "passed", "reason"]) {
      assert.ok(k in c, `check has ${k}`);
    }
  }
  const [name, date, group] = x.filters;
  assert.deepEqual(
    { index: name.index, state: name.state, expected: name.expected, actual: name.actual, present: name.present, passed: name.passed },
    { index: 0, state: "newState", expected: "updated", actual: "EventSub Test updated", present: true, passed: true },
  );
  assert.match(date.reason, /compared as instants/);
  assert.equal(group.comparison, "group");
  assert.equal(group.connector, "OR");
  assert.equal(group.filters.length, 2);
  assert.equal(group.filters[1].passed, false);
  assert.equal(group.passed, true);
});

test("preview takes an array, a JSON array string, NDJSON text and bytes", () => {
  const sub = Subscription.compile(SPEC);
  const events = [JSON.parse(UPDATE), JSON.parse(CREATE), JSON.parse(UPDATE)];
  const want = { total: 3, matched: 2, matches: [0, 2], errors: [] };
  assert.deepEqual(sub.preview(events), want);
  assert.deepEqual(sub.preview(JSON.stringify(events)), want);
  const ndjson = events.map((e) => JSON.stringify(e)).join("\n");
  assert.deepEqual(sub.preview(ndjson), want);
  assert.deepEqual(sub.preview(new TextEncoder().encode(ndjson)), want);
  assert.deepEqual(sub.preview(""), { total: 0, matched: 0, matches: [], errors: [] });
});

test("preview reports bad events with index, line and code, and evaluates the rest", () => {
  const sub = Subscription.compile(SPEC);
  const lines = [UPDATE.replace(/\n/g, " "), "{not json", "42", "", CREATE.replace(/\n/g, " "), read("events/update-base64-seed.json").replace(/\n/g, " "), UPDATE.replace(/\n/g, " ")];
  const r = sub.preview(lines.join("\n"));
  assert.equal(r.total, 6);
  assert.deepEqual(r.matches, [0, 5]);
  assert.deepEqual(
    r.errors.map((e) => [e.index, e.line, e.code]),
    [
      [1, 2, "invalid_json"],
      [2, 3, "invalid_event"],
      [4, 6, "invalid_event"],
    ],
  );
  const detailed = sub.preview(lines.join("\n"), { details: true });
  assert.equal(detailed.results.length, 6);
  assert.equal(detailed.results[3].reason, 'eventType is "CREATE"; the subscription wants "UPDATE"');
});

test("toJSON normalizes and redacts the authToken; String() shows no secret", () => {
  const secret = "s3cr3t-AUTH-token-9f8e7d";
  const sub = Subscription.compile({ ...JSON.parse(SPEC), authToken: secret, filters: [{ fieldName: "name", fieldValue: "x" }] });
  const json = sub.toJSON();
  assert.equal(json.authToken, "[redacted]");
  assert.deepEqual(json.filters, [{ fieldName: "name", fieldValue: "x", comparison: "eq", state: "newState" }]);
  assert.equal(json.filterConnector, "AND");
  assert.equal(json.base64Encoding, false);
  const outputs = [JSON.stringify(json), String(sub), JSON.stringify(sub), JSON.stringify(sub.explain(UPDATE)), JSON.stringify(sub.preview(UPDATE))];
  for (const o of outputs) assert.ok(!o.includes(secret), o);
  try {
    Subscription.compile({ ...JSON.parse(SPEC), authToken: secret, eventType: "nope" });
  } catch (e) {
    assert.ok(!e.message.includes(secret) && !JSON.stringify(e.diagnostics).includes(secret));
  }
});

test("deliver: the Workfront envelope, plain and base64, decodes back to the states", () => {
  const spec = JSON.parse(SPEC);
  const event = JSON.parse(UPDATE);
  const plain = Subscription.compile(spec).deliver(event, { subscriptionId: "sub-1", eventTime: 1507319336998 });
  assert.equal(plain.method, "POST");
  assert.equal(plain.url, spec.url);
  assert.deepEqual(plain.headers, { "Content-Type": "application/json", Authorization: `Bearer ${spec.authToken}` });
  const body = JSON.parse(plain.body);
  assert.deepEqual(Object.keys(body), ["eventType", "subscriptionId", "eventTime", "eventVersion", "subscriptionVersion", "newState", "oldState"]);
  assert.deepEqual(body.eventTime, { nano: 998000000, epochSecond: 1507319336 });
  assert.deepEqual(body.newState, event.newState);
  const encoded = Subscription.compile({ ...spec, base64Encoding: "true" }).deliver(event);
  const b = JSON.parse(encoded.body);
  assert.equal(typeof b.newState, "string");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(decodeBase64(b.oldState))), event.oldState);
  assert.equal(b.subscriptionId, event.subscriptionId);
  // A captured base64 delivery fed back gives the same answer as the plain one.
  const sub = Subscription.compile(spec);
  assert.equal(sub.matches(encoded.body), sub.matches(plain.body));
  assert.equal(Subscription.compile(spec).deliver(CREATE), null);
});

test("encodeBase64/decodeBase64: RFC 4648 vectors, UTF-8 strings, bytes, url alphabet, strict errors", () => {
  const vectors = [["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"], ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"]];
  for (const [plain, b64] of vectors) {
    assert.equal(encodeBase64(plain), b64);
    assert.equal(encodeBase64(new TextEncoder().encode(plain)), b64);
    assert.equal(new TextDecoder().decode(decodeBase64(b64)), plain);
  }
  assert.equal(encodeBase64("héllo ☃"), Buffer.from("héllo ☃").toString("base64"));
  const bytes = new Uint8Array(256).map((_, i) => i);
  assert.equal(encodeBase64(bytes, { alphabet: "url" }), Buffer.from(bytes).toString("base64url"));
  assert.deepEqual(decodeBase64(Buffer.from(bytes).toString("base64url"), { alphabet: "url" }), bytes);
  assert.ok(decodeBase64("Zm9vYg==") instanceof Uint8Array);
  for (const [bad, offset] of [["Zm9v$mFy", 4], ["Zm9vYg", 6], ["Zm9=vYg=", 3], ["Zh==", 1]]) {
    const err = throwsHookmatch(assert, () => decodeBase64(bad), "invalid_base64");
    assert.equal(err.offset, offset, bad);
  }
  throwsHookmatch(assert, () => decodeBase64(42), "invalid_input");
  throwsHookmatch(assert, () => encodeBase64({}), "invalid_input");
});

test("setLimits: too_large above the limit, and the default comes back", () => {
  const sub = Subscription.compile(SPEC);
  setLimits({ maxInputBytes: 1000 });
  try {
    throwsHookmatch(assert, () => sub.matches(UPDATE), "too_large");
    throwsHookmatch(assert, () => sub.preview(UPDATE), "too_large");
  } finally {
    setLimits({ maxInputBytes: 0 });
  }
  assert.equal(sub.matches(UPDATE), true);
  throwsHookmatch(assert, () => setLimits({ maxInputBytes: -1 }), "invalid_input");
});

test("misuse throws invalid_input", () => {
  const sub = Subscription.compile(SPEC);
  throwsHookmatch(assert, () => sub.matches(undefined), "invalid_input");
  throwsHookmatch(assert, () => sub.matches(() => 1), "invalid_input");
  const cyclic = {};
  cyclic.self = cyclic;
  throwsHookmatch(assert, () => sub.matches(cyclic), "invalid_input");
  throwsHookmatch(assert, () => sub.matches(42), "invalid_event");
  throwsHookmatch(assert, () => Subscription.compile(SPEC, "workfront"), "invalid_input");
});

test("objects answer exactly like their JSON text", () => {
  const sub = Subscription.compile({ ...JSON.parse(SPEC), filters: [{ fieldName: "n", fieldValue: 9007199254740993, comparison: "eq" }, { fieldName: "s", fieldValue: "x", comparison: "ne" }], filterConnector: "OR" });
  const cases = [
    { eventType: "UPDATE", newState: { objCode: "PROJ", n: 9007199254740993 } },
    { eventType: "UPDATE", newState: { objCode: "PROJ", n: 1e20, s: "x" } },
    { eventType: "UPDATE", newState: { objCode: "PROJ", n: NaN, s: undefined } },
    { eventType: "UPDATE", newState: Object.assign(Object.create(null), { objCode: "PROJ", s: "x" }) },
    { eventType: "UPDATE", newState: { objCode: "PROJ", s: new Date(0) } },
    { eventType: "UPDATE", newState: { objCode: "PROJ", s: "\ud800" } },
    { eventType: "UPDATE", newState: Object.create({ objCode: "PROJ" }) },
    { eventType: "UPDATE", newState: { objCode: "PROJ", s: "y", toJSON: () => ({ objCode: "TASK" }) } },
    { eventType: "UPDATE", newState: new Map([["objCode", "PROJ"]]) },
  ];
  for (const e of cases) {
    const run = (x) => {
      try {
        return sub.matches(x);
      } catch (err) {
        return err.code;
      }
    };
    assert.equal(run(e), run(JSON.stringify(e)), JSON.stringify(e));
  }
});
