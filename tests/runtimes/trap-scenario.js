// What CONTRACT-level behaviour a trap must have, run the same way in Node
// (ESM and CommonJS) and in Chromium: a defect that traps the module is
// HookmatchError `internal`, the runtime starts a fresh module, later calls
// work with the limits the page set, objects made before it throw `freed`
// saying why (never another object's memory, never its secret), and a
// finalizer of an old object never frees into the new module.
//
// `trap` is runtime.js's test hook (the one way to trap on purpose; no
// entry exports it); `gc` forces a collection where the runtime allows it.
export async function trapScenario({ Subscription, SubscriptionSet, validate, setLimits, HookmatchError }, trap, gc) {
  const seen = {};
  const caught = (f) => {
    try {
      f();
      return { threw: false };
    } catch (e) {
      return { threw: true, hookmatch: e instanceof HookmatchError, code: e.code, message: String(e.message) };
    }
  };
  const spec = (token) => ({ objCode: "TASK", eventType: "CREATE", url: "https://hooks.example.com/in", authToken: token });
  const event = { eventType: "CREATE", newState: { objCode: "TASK", ID: "t1" } };

  const old = Subscription.compile(spec("token-of-the-old-one"));
  const oldSet = SubscriptionSet.compile([{ id: "a", spec: spec("set-token") }]);
  setLimits({ maxInputBytes: 4096 });
  seen.before = old.matches(event);

  seen.trap = caught(() => trap());
  seen.oldMatches = caught(() => old.matches(event));
  seen.oldDeliver = caught(() => old.deliver(event));
  seen.oldSet = caught(() => oldSet.match(event));
  seen.oldFreeTwice = caught(() => { old.free(); old.free(); });

  const fresh = Subscription.compile(spec("token-of-the-new-one"));
  seen.freshMatches = fresh.matches(event);
  seen.freshAuthorization = fresh.deliver(event).headers.Authorization;
  seen.limitKept = caught(() => validate(JSON.stringify({ ...spec("t"), pad: "x".repeat(5000) })));
  seen.validate = validate(spec("t")).length;

  // The old set is dropped: its finalizer must not free the new module's memory.
  if (gc) {
    await gc();
    seen.freshAfterGc = fresh.deliver(event).headers.Authorization;
  }

  // A trap inside a call that wasm made back into JS (a getter read while
  // validating): the outer call is the one that restarts.
  const nested = { ...spec("t") };
  Object.defineProperty(nested, "objCode", { enumerable: true, get() { try { trap(); } catch {} return "TASK"; } });
  seen.nested = caught(() => validate(nested));
  seen.freshAfterNested = caught(() => fresh.matches(event));
  seen.afterNested = Subscription.compile(spec("t")).matches(event);

  setLimits({ maxInputBytes: 0 });
  return seen;
}

/** The assertions, shared by every runtime's test. */
export function checkTrapScenario(assert, seen, { gc }) {
  assert.equal(seen.before, true);
  assert.equal(seen.trap.hookmatch, true, JSON.stringify(seen.trap));
  assert.equal(seen.trap.code, "internal");
  assert.match(seen.trap.message, /fresh module/);
  for (const key of ["oldMatches", "oldDeliver", "oldSet"]) {
    assert.equal(seen[key].hookmatch, true, `${key}: ${JSON.stringify(seen[key])}`);
    assert.equal(seen[key].code, "freed", key);
    assert.match(seen[key].message, /restarted/, key);
    assert.doesNotMatch(seen[key].message, /token/, key);
  }
  assert.equal(seen.oldFreeTwice.threw, false);
  assert.equal(seen.freshMatches, true);
  assert.equal(seen.freshAuthorization, "Bearer token-of-the-new-one");
  assert.equal(seen.limitKept.code, "too_large", "the limits set before the trap hold in the fresh module");
  assert.equal(seen.validate, 0);
  if (gc) assert.equal(seen.freshAfterGc, "Bearer token-of-the-new-one");
  assert.equal(seen.nested.code, "internal");
  assert.equal(seen.freshAfterNested.code, "freed");
  assert.equal(seen.afterNested, true);
}
