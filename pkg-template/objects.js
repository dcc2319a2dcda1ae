// Objects given to `Subscription#matches` and `SubscriptionSet#match` cross
// into wasm as JSON text. `JSON.stringify` of a whole event costs more than
// the match itself, so only the fields the subscription reads are copied
// out first (the same projection the wasm scanner applies to text, exported
// by the core as data) and that small object is stringified.
//
// The copy follows JSON.stringify's own rules for what it copies: own
// enumerable string keys only, `toJSON(key)` applied once, getters read
// once, array elements by index. Objects that are not plain (class
// instances, Maps, boxed primitives) and arrays the projection does not
// look into are left whole for JSON.stringify itself. Anything that throws
// on the way (a getter, a toJSON, a BigInt or a cycle in a field the plan
// reads) sends the original object down the plain path, which reports it as
// before. Fields the plan does not read are not visited, so a BigInt or a
// cycle there is not reported (README, "Decisions").

const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;

/** Thrown to abandon the copy and take the plain path. */
const PLAIN = Symbol("plain");

function isPlainObject(v) {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** What JSON.stringify would serialize for holder[key], projected by p. */
function pick(holder, key, p) {
  let v = holder[key];
  if (v !== null && (typeof v === "object" || typeof v === "bigint") && typeof v.toJSON === "function") {
    v = v.toJSON(key);
    // JSON.stringify applies toJSON once; putting a result that has its own
    // toJSON into the copy would apply it twice.
    if (v !== null && typeof v === "object" && typeof v.toJSON === "function") throw PLAIN;
  }
  if (p.all || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    if (!p.items) return v;
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = pick(v, String(i), p.items);
    return out;
  }
  if (!isPlainObject(v)) return v;
  const out = Object.create(null);
  for (const k of p.names) {
    if (hasOwn.call(v, k) && isEnumerable.call(v, k)) out[k] = pick(v, k, p.keys[k]);
  }
  return out;
}

/** The projection from the core's JSON, with each node's key list ready. */
function prepare(p) {
  if (p.all) return p;
  for (const k of Object.keys(p.keys)) prepare(p.keys[k]);
  if (p.items) prepare(p.items);
  p.names = Object.keys(p.keys);
  return p;
}

function isObjectEvent(event) {
  return event !== null && typeof event === "object" && !ArrayBuffer.isView(event);
}

/** Patch one method taking an event first so objects are projected. */
function patch(proto, method, projections) {
  const plain = proto[method];
  if (typeof plain !== "function" || plain.hookmatchProjected) return;
  const projected = function (event, ...rest) {
    if (isObjectEvent(event)) {
      let text;
      try {
        let p = projections.get(this);
        if (p === undefined) {
          p = prepare(JSON.parse(this.__projection()));
          projections.set(this, p);
        }
        text = JSON.stringify(pick({ "": event }, "", p));
      } catch {
        text = undefined;
      }
      if (typeof text === "string") return plain.call(this, text, ...rest);
    }
    return plain.call(this, event, ...rest);
  };
  projected.hookmatchProjected = true;
  proto[method] = projected;
}

/** Install the object fast path on the glue's classes (every entry calls this once). */
export function install(glue) {
  const projections = new WeakMap();
  patch(glue.Subscription.prototype, "matches", projections);
  patch(glue.SubscriptionSet.prototype, "match", projections);
  // A set's projection grows with each member added.
  const add = glue.SubscriptionSet.prototype.add;
  if (typeof add === "function" && !add.hookmatchProjected) {
    const patched = function (...args) {
      projections.delete(this);
      return add.apply(this, args);
    };
    patched.hookmatchProjected = true;
    glue.SubscriptionSet.prototype.add = patched;
  }
}
