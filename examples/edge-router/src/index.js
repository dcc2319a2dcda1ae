// hookmatch edge router: a Cloudflare Worker that receives a vendor's webhook,
// checks the vendor's signature where it signs (Asana's X-Hook-Signature,
// ricloud's Ricloud-Signature), asks a SubscriptionSet which members fire and
// what each would be sent (set.deliver), and forwards each delivery to its
// target. The members (spec, compile options, delivery defaults) live in KV;
// each isolate keeps one compiled set and rebuilds it when their version
// changes. README.md says how to run it, load members and what it costs.
//
//   POST /hooks/<source>              a vendor's webhook (?dry-run=1 or the
//                                     header x-hookmatch-dry-run: 1 answers
//                                     the deliveries, secrets masked, instead
//                                     of sending them)
//   PUT  /admin/members               replace the members (a JSON array of set
//                                     entries); Authorization: Bearer ADMIN_TOKEN
//   GET  /admin/members               the version, size and entry errors
//
// Configuration (wrangler vars and secrets): MEMBERS (a KV namespace),
// ADMIN_TOKEN, SOURCES (JSON: source name -> { scheme?, secret? }),
// REFRESH_MS (how often an isolate asks KV whether members changed).
import { HookmatchError, SubscriptionSet, verify } from "hookmatch";
import { maskDelivery } from "hookmatch/elements";

/** Members per KV value: 1,000 entries of a few hundred bytes stay far below KV's 25 MiB per value. */
const CHUNK = 1000;
/** How long one forward may take before it counts as failed. */
const FORWARD_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------- members

/** This isolate's compiled set: { version, set, errors, checked, compileMs }. */
let current = null;
/** The reload in flight, shared by the requests that arrive meanwhile. */
let loading = null;

/**
 * The compiled members, rebuilt when KV's manifest names another version.
 * KV is asked at most every REFRESH_MS per isolate: a request in between
 * costs no KV read at all.
 */
async function members(env, force = false) {
  const every = Number(env.REFRESH_MS ?? 10_000);
  if (current && !force && Date.now() - current.checked < every) return current;
  loading ??= reload(env).finally(() => (loading = null));
  return loading;
}

async function reload(env) {
  const manifest = (await env.MEMBERS.get("manifest", "json")) ?? { version: "", chunks: 0 };
  if (current && current.version === manifest.version) {
    current.checked = Date.now();
    return current;
  }
  const parts = await Promise.all(Array.from({ length: manifest.chunks }, (_, i) => env.MEMBERS.get(chunkKey(manifest.version, i))));
  if (parts.some((p) => p === null)) {
    // KV is eventually consistent: this location sees the new manifest
    // before all of its chunks. Keep answering with the set it has.
    if (current) return current;
    throw new Error(`members ${manifest.version} are not readable yet`);
  }
  // The chunks are JSON arrays: joined as text, the set parses them once.
  const inner = parts.map((p) => p.trim().slice(1, -1).trim()).filter(Boolean);
  const started = Date.now();
  const set = SubscriptionSet.compile(`[${inner.join(",")}]`);
  const next = { version: manifest.version, set, errors: set.errors, checked: Date.now(), compileMs: Date.now() - started };
  // No request holds the old set across an await (set.deliver is synchronous), so it can go now.
  current?.set.free();
  current = next;
  return current;
}

const chunkKey = (version, i) => `members/${version}/${i}`;

/** Replace every member: chunks under a new version first, then the manifest that names it. */
async function store(env, entries) {
  const version = crypto.randomUUID();
  const chunks = [];
  for (let i = 0; i < entries.length; i += CHUNK) chunks.push(JSON.stringify(entries.slice(i, i + CHUNK)));
  await Promise.all(chunks.map((c, i) => env.MEMBERS.put(chunkKey(version, i), c)));
  const old = await env.MEMBERS.get("manifest", "json");
  const previous = old?.version ? { version: old.version, chunks: old.chunks } : null;
  await env.MEMBERS.put("manifest", JSON.stringify({ version, chunks: chunks.length, size: entries.length, previous }));
  // An isolate that read the last manifest may still be reading its chunks:
  // those stay one more version; the ones before them go now.
  const stale = old?.previous;
  if (stale?.version) await Promise.all(Array.from({ length: stale.chunks }, (_, i) => env.MEMBERS.delete(chunkKey(stale.version, i))));
  return version;
}

// ---------------------------------------------------------------- sources

let sourcesText;
let sources = {};

/** SOURCES: { "<name>": { scheme?: "asana" | "ricloud" | "standard-webhooks", secret?: string, acceptHandshake?: boolean } }. */
function source(env, name) {
  if (env.SOURCES !== sourcesText) {
    sourcesText = env.SOURCES;
    sources = sourcesText ? JSON.parse(sourcesText) : {};
  }
  return Object.hasOwn(sources, name) ? sources[name] : undefined;
}

/** The secrets Asana gave in handshakes, per source: { secret, checked }. */
const handshakes = new Map();
const handshakeKey = (name) => `handshake/${name}`;

/**
 * A source's secret: its own, or the X-Hook-Secret of the Asana handshake
 * the router answered for it (kept in KV, read at most every REFRESH_MS).
 */
async function secretOf(env, name, src) {
  if (src.secret || src.scheme !== "asana") return src.secret;
  const known = handshakes.get(name);
  if (known && Date.now() - known.checked < Number(env.REFRESH_MS ?? 10_000)) return known.secret;
  const secret = await env.MEMBERS.get(handshakeKey(name));
  handshakes.set(name, { secret, checked: Date.now() });
  return secret;
}

/**
 * Asana's handshake: creating a webhook posts X-Hook-Secret (no body, no
 * signature) and expects it echoed in a 2xx. Only a source with
 * `acceptHandshake` answers it, and keeps the secret to verify the events
 * that follow: anyone could send a handshake, so turn it on while creating
 * the webhook and off afterwards.
 */
async function handshake(env, name, src, secret) {
  if (src.scheme !== "asana" || !src.acceptHandshake) {
    return json({ error: `source ${JSON.stringify(name)} takes no handshake (set acceptHandshake while creating the webhook)` }, 403);
  }
  if (!secret) return json({ error: "the handshake's X-Hook-Secret is empty" }, 400);
  await env.MEMBERS.put(handshakeKey(name), secret);
  handshakes.set(name, { secret, checked: Date.now() });
  return new Response(null, { status: 200, headers: { "x-hook-secret": secret } });
}

/** Does the request carry the vendor's valid signature for this source's secret? */
function signed(src, secret, headers, body) {
  if (!src.scheme) return true;
  if (!secret) return false;
  try {
    return verify({ headers: Object.fromEntries(headers), body }, secret, { scheme: src.scheme });
  } catch {
    // A malformed header or body: not signed.
    return false;
  }
}

// ---------------------------------------------------------------- routing

/**
 * The events of a webhook body: Asana posts an envelope of several events,
 * each routed on its own (a member's delivery is its own envelope of one);
 * the other vendors post one event per request.
 */
function events(body) {
  if (!body.includes('"events"')) return [body];
  let doc;
  try {
    doc = JSON.parse(body);
  } catch {
    return [body];
  }
  if (!Array.isArray(doc?.events) || doc.events.length <= 1 || Object.keys(doc).length !== 1) return [body];
  return doc.events.map((e) => JSON.stringify({ events: [e] }));
}

async function forward({ id, delivery }) {
  try {
    const res = await fetch(delivery.url, {
      method: delivery.method,
      headers: delivery.headers,
      body: delivery.body,
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    // The receiver's body is not needed; not reading it would hold the connection.
    await res.body?.cancel();
    return { id, status: res.status, ok: res.ok };
  } catch (e) {
    return { id, status: 0, ok: false, error: e?.name === "TimeoutError" ? "timeout" : "unreachable" };
  }
}

/** A delivery as the dry run shows it: secrets and signatures masked (hookmatch/elements' maskDelivery). */
function masked({ id, delivery }) {
  const { url, headers } = maskDelivery(delivery);
  return { id, delivery: { method: delivery.method, url, headers: Object.fromEntries(headers), body: delivery.body } };
}

const json = (value, status = 200, headers = {}) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", ...headers } });

async function hook(request, env, name) {
  const src = source(env, name);
  if (!src) return json({ error: `no source ${JSON.stringify(name)}` }, 404);
  const offered = request.headers.get("x-hook-secret");
  if (offered !== null) return handshake(env, name, src, offered);
  const body = await request.text();
  const secret = await secretOf(env, name, src);
  if (!signed(src, secret, request.headers, body)) return json({ error: "the signature is missing, wrong or stale" }, 401);
  const { set } = await members(env);
  const deliveries = [];
  try {
    for (const e of events(body)) deliveries.push(...set.deliver(e));
  } catch (e) {
    if (e instanceof HookmatchError) return json({ error: { code: e.code, message: e.message, path: e.path } }, 400);
    throw e;
  }
  const url = new URL(request.url);
  if (url.searchParams.get("dry-run") === "1" || request.headers.get("x-hookmatch-dry-run") === "1") {
    return json({ deliveries: deliveries.map(masked) });
  }
  const results = await Promise.all(deliveries.map(forward));
  // A failed forward asks the vendor to retry (it resends to every member:
  // receivers dedupe by the event's id, as they must for any vendor retry).
  const failed = results.filter((r) => !r.ok).length;
  return json({ delivered: results.length - failed, failed, results }, failed ? 502 : 200);
}

/** Constant-time comparison of the bearer token. */
function authorized(request, env) {
  const want = env.ADMIN_TOKEN;
  const given = request.headers.get("authorization") ?? "";
  if (!want) return false;
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(`Bearer ${want}`);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

async function admin(request, env) {
  if (!authorized(request, env)) return json({ error: "unauthorized" }, 401, { "www-authenticate": "Bearer" });
  if (request.method === "GET") {
    const m = await members(env, true);
    return json({ version: m.version, size: m.set.size, errors: m.errors, compileMs: m.compileMs });
  }
  if (request.method !== "PUT") return json({ error: "GET or PUT" }, 405);
  const text = await request.text();
  let entries;
  try {
    entries = JSON.parse(text);
  } catch {
    return json({ error: "the members must be a JSON array of { id, spec, dialect?, options?, deliver? }" }, 400);
  }
  if (!Array.isArray(entries)) return json({ error: "the members must be a JSON array of { id, spec, dialect?, options?, deliver? }" }, 400);
  // Checked before they are stored: a member that does not compile is refused with its path.
  const check = SubscriptionSet.compile(text);
  const { errors, size } = check;
  check.free();
  if (errors.length) return json({ error: "some members do not compile", errors }, 422);
  const version = await store(env, entries);
  await members(env, true);
  return json({ version, size });
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/admin/members") return admin(request, env);
    const m = /^\/hooks\/([A-Za-z0-9._-]+)$/.exec(pathname);
    if (m && request.method === "POST") return hook(request, env, m[1]);
    return json({ error: "POST a webhook to /hooks/<source>" }, 404);
  },
};
