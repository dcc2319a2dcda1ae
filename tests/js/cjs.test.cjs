// require() of the package (CommonJS entry).
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { Subscription, validate, encodeBase64 } = require("hookmatch");

test("require('hookmatch') works", () => {
  const sub = Subscription.compile({ objCode: "PROJ", eventType: "UPDATE", url: "https://example.com/h", authToken: "t" });
  assert.equal(sub.dialect, "workfront");
  assert.equal(sub.matches({ eventType: "UPDATE", newState: { objCode: "PROJ" }, oldState: {} }), true);
  assert.deepEqual(validate({ objCode: "PROJ", eventType: "UPDATE", url: "https://example.com/h", authToken: "t" }), []);
  assert.equal(encodeBase64("foobar"), "Zm9vYmFy");
});
