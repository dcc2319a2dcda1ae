// One smoke test for every runtime (browser bundle, workerd, Bun, Deno):
// plain JavaScript, no runtime-specific API. Returns a list of failures.
export function smoke(hm) {
  const failures = [];
  const check = (name, ok) => {
    if (!ok) failures.push(name);
  };
  const spec = { objCode: "PROJ", eventType: "UPDATE", url: "https://hooks.example.com/wf", authToken: "t0k3n", filters: [{ fieldName: "status", fieldValue: "CUR" }] };
  const event = { eventType: "UPDATE", newState: { objCode: "PROJ", status: "CUR" }, oldState: { objCode: "PROJ", status: "PLN" } };
  const sub = hm.Subscription.compile(spec);
  check("dialect", sub.dialect === "workfront");
  check("matches object", sub.matches(event) === true);
  check("matches text", sub.matches(JSON.stringify({ ...event, eventType: "CREATE" })) === false);
  check("explain", sub.explain(event).filters[0].passed === true);
  // Short strings (Chromium writes them into wasm in a JS loop while ASCII):
  // a non-ASCII character at the end, and a lone surrogate (U+FFFD).
  const named = (name) => hm.Subscription.compile({ ...spec, filters: [{ fieldName: "name", fieldValue: name }] });
  const short = (name) => `{"eventType":"UPDATE","newState":{"objCode":"PROJ","name":"${name}"}}`;
  const accented = named("plan \u00e9\u2014x");
  check("short non-ASCII text", accented.matches(short("plan \u00e9\u2014x")) === true && accented.matches(short("plan e-x")) === false);
  check("short non-ASCII object", accented.matches(JSON.parse(short("plan \u00e9\u2014x"))) === true);
  const replaced = named("\ufffd");
  check("short lone surrogate", replaced.matches(short("\ud800")) === true);
  accented.free();
  replaced.free();
  check("preview", sub.preview([event, event]).matched === 2);
  const d = sub.deliver(event, { subscriptionId: "s", eventTime: 0 });
  check("deliver", d.headers.Authorization === "Bearer t0k3n" && JSON.parse(d.body).subscriptionId === "s");
  check("toJSON redacts", JSON.stringify(sub.toJSON()).indexOf("t0k3n") < 0);
  check("validate", hm.validate({ ...spec, eventType: "update" })[0].code === "unknown_event_type");
  check("base64", hm.encodeBase64("foobar") === "Zm9vYmFy" && new TextDecoder().decode(hm.decodeBase64("Zm9vYg==")) === "foob");
  try {
    hm.Subscription.compile({ ...spec, filters: [{ fieldName: "x", fieldValue: 1, comparison: "get" }] });
    check("throws", false);
  } catch (e) {
    check("HookmatchError", e.name === "HookmatchError" && e.code === "unknown_comparison" && e.path === "/filters/0/comparison");
  }
  const kb = hm.Subscription.compile({ url: "https://kb.example.com/h", token: "k" });
  check("kanboard", kb.dialect === "kanboard" && kb.matches({ event_name: "task.create", event_data: {} }));
  const signed = kb.deliver({ event_name: "task.create", event_data: {} }, { signature: "standard-webhooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
  check("verify", hm.verify(signed, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") === true);
  // Analysis (lint, example, diff, set.lint) answers the same everywhere.
  const both = { ...spec, filters: [{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "status", fieldValue: "CPL" }] };
  check("lint never_matches", hm.lint(both).some((d) => d.code === "never_matches" && d.path === "/filters/1"));
  const example = sub.example();
  check("example fires", example !== null && sub.matches(example));
  const d2 = hm.diff(spec, { ...spec, filters: [] });
  check("diff wider", d2.relation === "wider" && d2.gained.length === 1 && sub.matches(d2.gained[0]) === false);
  const set = hm.SubscriptionSet.compile([{ id: "a", spec }, { id: "b", spec }]);
  check("set.lint duplicate", set.lint().some((e) => e.id === "b" && e.diagnostics.some((x) => x.code === "duplicate_subscription")));
  set.free();
  // set.match answers positions that the package maps to ids, dropped on
  // add and remove; more than the inbox holds take the other path.
  const members = [];
  for (let i = 0; i < 1500; i++) members.push({ id: `m${i}`, spec: i % 2 ? spec : { ...spec, objCode: "TASK" } });
  const odd = members.filter((_, i) => i % 2).map((m) => m.id);
  const big = hm.SubscriptionSet.compile(members);
  check("set.match text", JSON.stringify(big.match(JSON.stringify(event))) === JSON.stringify(odd));
  big.remove("m1");
  big.add("m1", spec);
  check("set.match after remove and add", JSON.stringify(big.match(event)) === JSON.stringify([...odd.slice(1), "m1"]));
  const all = hm.SubscriptionSet.compile(members.map((m) => ({ ...m, spec })));
  check("set.match past the inbox", JSON.stringify(all.match(JSON.stringify(event))) === JSON.stringify(members.map((m) => m.id)));
  big.free();
  all.free();
  // preview of text and bytes long enough to cross into wasm in chunks.
  const lines = (JSON.stringify(event) + "\n" + JSON.stringify({ ...event, eventType: "CREATE" }) + "\n").repeat(2000);
  const fromText = sub.preview(lines);
  const fromBytes = sub.preview(new TextEncoder().encode(lines));
  check("preview long text", lines.length > 300000 && fromText.total === 4000 && fromText.matched === 2000);
  check("preview long bytes", fromBytes.total === 4000 && fromBytes.matched === 2000 && fromBytes.matches[1999] === 3998);
  sub.free();
  kb.free();
  return failures;
}
