// The installed package as a user gets it (make test-js installs the packed
// tarball): one wasm, complete metadata, no phantom exports, and one
// HookmatchError class that `instanceof` recognises from import and require.
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync, lstatSync } from "node:fs";
import { join } from "node:path";
import * as hm from "hookmatch";

const require = createRequire(import.meta.url);
const dir = join(new URL("../../node_modules/hookmatch/", import.meta.url).pathname);
const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

function files(d, prefix = "") {
  return readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? files(join(d, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

test("the package is installed from the tarball, not linked to pkg/", () => {
  assert.equal(lstatSync(dir.replace(/\/$/, "")).isSymbolicLink(), false);
});

test("the tarball holds each module once: the full one, and the browser's core one without the analysis", () => {
  const wasm = files(dir).filter((f) => f.endsWith(".wasm"));
  assert.deepEqual(wasm.sort(), ["hookmatch_bg.wasm", "hookmatch_core_bg.wasm"]);
});

test("package.json has metadata, one engine floor, and keywords for every dialect", () => {
  for (const key of ["repository", "homepage", "bugs", "license", "description"]) assert.ok(manifest[key], key);
  assert.match(manifest.engines.node, /^>=\d+/);
  const floor = Number(manifest.engines.node.match(/\d+/)[0]);
  assert.ok(Number(process.versions.node.split(".")[0]) >= floor, "the tests run on a Node the floor allows");
  // Every vendor of the registry, by the name people search for it.
  for (const { vendor } of hm.dialects()) assert.ok(manifest.keywords.includes(vendor.toLowerCase()), vendor);
});

test("the wasm is reachable by package name", () => {
  const path = require.resolve("hookmatch/hookmatch_bg.wasm");
  assert.equal(readFileSync(path).subarray(0, 4).toString("latin1"), "\0asm");
});

test("no wasm-bindgen loader internals are exported", () => {
  for (const name of ["default", "initSync", "__wbg_init"]) {
    assert.equal(name in hm, false, `import exports ${name}`);
    assert.equal(name in require("hookmatch"), false, `require exports ${name}`);
  }
  const dts = readFileSync(join(dir, "hookmatch.d.ts"), "utf8");
  assert.doesNotMatch(dts, /export default|initSync|InitOutput/);
});

test("dialects(): the registry as data, the same from import and require", () => {
  const list = hm.dialects();
  // Every dialect of the registry, once, in its order: the DialectName union
  // of the package's types is written from the same registry at build time.
  const dts = readFileSync(join(dir, "hookmatch.d.ts"), "utf8");
  const union = dts.match(/export type DialectName = ([^;]+);/)[1].match(/"[^"]+"/g).map((n) => JSON.parse(n));
  assert.deepEqual(list.map((d) => d.name), union);
  // The detection rule and the redacted fields as the docs state them
  // (docs/api.md, dialects(): detection; the secrets toJSON redacts).
  const byName = Object.fromEntries(list.map((d) => [d.name, d]));
  const detection = { workfront: ["objCode"], asana: ["target", "resource", "filters"], rservice: ["event", "uri"], ricloud: ["url", "secret", "state", "organisation"], kanboard: ["url", "token", "events"] };
  for (const [name, keys] of Object.entries(detection)) assert.deepEqual([...byName[name].keys].sort(), [...keys].sort(), name);
  assert.deepEqual(Object.fromEntries(list.map((d) => [d.name, d.secrets])), { workfront: ["authToken"], asana: [], kanboard: ["token"], rservice: [], ricloud: ["secret"] });
  for (const d of list) {
    assert.deepEqual(Object.keys(d), ["name", "vendor", "keys", "secrets"], d.name);
    assert.equal(typeof d.vendor, "string");
    assert.ok(d.keys.length > 0 && d.keys.every((k) => typeof k === "string"), d.name);
    assert.ok(Array.isArray(d.secrets) && d.secrets.every((k) => typeof k === "string"), d.name);
    // Each name is one the dialect option takes.
    assert.equal(hm.validate("{}", { dialect: d.name }).some((x) => x.code === "unknown_dialect"), false, d.name);
  }
  assert.deepEqual(require("hookmatch").dialects(), list);
  // Fresh data each call: a caller's edit does not reach the next one.
  list[0].keys.push("x");
  assert.notDeepEqual(hm.dialects(), list);
});

test("import and require export the same names", () => {
  assert.deepEqual(Object.keys(hm).sort(), Object.keys(require("hookmatch")).sort());
});

test("HookmatchError is one class for import and require, and every throw is one", () => {
  const cjs = require("hookmatch");
  for (const mod of [hm, cjs]) {
    let thrown;
    try {
      mod.Subscription.compile("{");
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof mod.HookmatchError);
    assert.ok(thrown instanceof Error);
    assert.equal(thrown.name, "HookmatchError");
    assert.equal(thrown.code, "invalid_json");
  }
});

test("hookmatch/elements imports and requires where there is no DOM (server rendering)", async () => {
  const esm = await import("hookmatch/elements");
  const cjs = require("hookmatch/elements");
  for (const m of [esm, cjs]) {
    assert.equal(typeof m.HookmatchDiagnostics, "function");
    assert.equal(typeof m.HookmatchExplanation, "function");
    assert.equal(typeof m.HookmatchDelivery, "function");
    assert.equal(typeof m.defineElements, "function");
  }
});

test("curlCommand: a shell reads back the exact request, secrets masked unless revealed", async () => {
  const { curlCommand } = await import("hookmatch/elements");
  const { Subscription } = await import("hookmatch");
  // Kanboard appends its token to the URL; a task title with a quote and a newline.
  const sub = Subscription.compile({ url: "https://kanboard.example.com/hook.php", token: "s3cr3t-token" });
  const d = sub.deliver({ event_name: "task.create", event_data: { task: { title: "it's\ndone" } } });
  // `curl` replaced by printf: the shell's own word splitting and unquoting.
  const words = (cmd) => execFileSync("sh", ["-c", cmd.replace(/^curl /, "printf '%s\\0' ")], { encoding: "utf8" }).split("\0").slice(0, -1);
  const shown = words(curlCommand(d));
  assert.deepEqual(shown, ["-X", "POST", "https://kanboard.example.com/hook.php?token=••••", ...Object.entries(d.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]), "--data-binary", d.body]);
  assert.equal(JSON.stringify(shown).includes("s3cr3t"), false);
  assert.equal(words(curlCommand(d, true))[2], d.url);
  assert.match(d.url, /token=s3cr3t-token$/);
});
