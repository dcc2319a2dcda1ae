// The CLI shipped as the package's bin, run as a user runs it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createHmac } from "node:crypto";
import { dialects, Subscription, SubscriptionSet } from "hookmatch";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = fileURLToPath(new URL("../../node_modules/hookmatch/bin/hookmatch.js", import.meta.url));
// The tests' own environment holds no secret: each test that wants one says so.
const { HOOKMATCH_SECRET: _, ...quiet } = process.env;
const hookmatch = (args, input, env = {}) => spawnSync(process.execPath, [cli, ...args], { cwd: root, input, encoding: "utf8", env: { ...quiet, ...env } });

test("preview prints one row per event and a summary; exit 0", () => {
  const r = hookmatch(["preview", "samples/workfront/subscription.json", "samples/workfront/events.ndjson"]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 10);
  assert.match(lines[2], /^1\s+2\s+no\s+eventType is "CREATE"; the subscription wants "UPDATE"$/);
  assert.equal(lines.at(-1), "3 of 8 events matched; 2 could not be read");
});

test("preview --json and --dialect; - reads standard input", () => {
  const events = "{\"event_name\":\"task.create\",\"event_data\":{}}\n{\"event_name\":\"task.close\",\"event_data\":{}}\n";
  const r = hookmatch(["preview", "samples/kanboard/subscription.json", "-", "--json", "--dialect", "kanboard"], events);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.total, 2);
  assert.equal(out.matched, 0, "project_id filter fails on empty event_data");
  assert.equal(out.results.length, 2);
});

test("validate: exit 0 when valid, 1 with diagnostics when not", () => {
  const ok = hookmatch(["validate", "samples/asana/subscription.json"]);
  assert.equal(ok.status, 0);
  assert.equal(ok.stdout, "valid\n");
  const bad = hookmatch(["validate", "-"], JSON.stringify({ objCode: "PROJ", eventType: "UPDATE", url: "ftp://x", authToken: "t" }));
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /error invalid_url at \/url: /);
  const json = hookmatch(["validate", "-", "--json"], "{");
  assert.equal(json.status, 1);
  assert.equal(JSON.parse(json.stdout)[0].code, "invalid_json");
});

test("deliver prints the request, or null when the event does not match", () => {
  const r = hookmatch(["deliver", "samples/rservice/subscription.json", "tests/fixtures/rservice/events/problem-update.json"]);
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.url, "https://myserver.example.com/mywebhook");
  const none = hookmatch(["deliver", "samples/rservice/subscription.json", "tests/fixtures/rservice/events/request-team-changed.json"]);
  assert.equal(none.status, 0);
  assert.equal(none.stdout.trim(), "null");
  // It says why, in the words preview uses for that event.
  const row = JSON.parse(hookmatch(["preview", "samples/rservice/subscription.json", "tests/fixtures/rservice/events/request-team-changed.json", "--format", "ndjson"]).stdout);
  assert.ok(row.reason.length > 0);
  assert.equal(none.stderr, `hookmatch: nothing is delivered: ${row.reason}\n`);
});

test("deliver --test, --handshake and signature options", () => {
  const test = hookmatch(["deliver", "tests/fixtures/rservice/specs/seed-list-disabled.json", "--test"]);
  assert.equal(test.status, 0, test.stderr);
  assert.equal(JSON.parse(JSON.parse(test.stdout).body).object_id, 12345);
  const hs = hookmatch(["deliver", "samples/asana/subscription.json", "--handshake", "--secret", "abc", "--reveal"]);
  assert.deepEqual(JSON.parse(hs.stdout).headers, { "X-Hook-Secret": "abc" });
  const signed = hookmatch(["deliver", "samples/kanboard/subscription.json", "tests/fixtures/kanboard/events/task-create.json", "--signature", "standard-webhooks", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "--timestamp", "1614265330"]);
  assert.equal(JSON.parse(signed.stdout).headers["webhook-timestamp"], "1614265330");
  const missing = hookmatch(["deliver", "samples/asana/subscription.json"]);
  assert.equal(missing.status, 2);
  const bad = hookmatch(["deliver", "samples/asana/subscription.json", "--test"]);
  assert.equal(bad.status, 1);
  // The remedy is named in flag terms, not as a JS object.
  assert.match(bad.stderr, /--handshake or --heartbeat/);
  assert.doesNotMatch(bad.stderr, /true|\{/);
});

test("an invalid spec or unreadable input exits 1 with the error; usage mistakes exit 2", () => {
  const spec = hookmatch(["preview", "-", "samples/workfront/events.ndjson"], JSON.stringify({ objCode: "PROJ", eventType: "UPDATE", url: "https://x.example", authToken: "t", filters: [{ fieldName: "a", fieldValue: 1, comparison: "get" }] }));
  assert.equal(spec.status, 1);
  assert.equal(spec.stderr, 'hookmatch: error unknown_comparison at /filters/0/comparison: unknown comparison "get"; did you mean "gte"?\n');
  const missing = hookmatch(["preview", "no-such-file.json", "samples/workfront/events.ndjson"]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read no-such-file.json: ENOENT/);
  assert.equal(hookmatch([]).status, 2);
  assert.equal(hookmatch(["frobnicate"]).status, 2);
  assert.equal(hookmatch(["preview", "only-one"]).status, 2);
  assert.equal(hookmatch(["preview", "a", "b", "--nope"]).status, 2);
  const help = hookmatch(["--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage:/);
});

test("each diagnostic of an invalid spec is printed once", () => {
  const r = hookmatch(["deliver", "-", "--test"], JSON.stringify({ objCode: "TASK", eventType: "UPDATED", url: "x", authToken: "t" }));
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 2, r.stderr);
  assert.equal(new Set(lines).size, 2);
  assert.match(lines[0], /^hookmatch: error unknown_event_type at \/eventType: /);
  assert.match(lines[1], /^hookmatch: error invalid_url at \/url: /);
});

test("--version prints the package's version; help per command lists examples and dialects", () => {
  const v = hookmatch(["--version"]);
  assert.equal(v.status, 0);
  const pkg = JSON.parse(readFileSync(new URL("../../node_modules/hookmatch/package.json", import.meta.url), "utf8"));
  assert.equal(v.stdout, `${pkg.version}\n`);
  assert.equal(hookmatch(["-V"]).stdout, v.stdout);
  for (const command of ["preview", "validate", "deliver"]) {
    const h = hookmatch([command, "--help"]);
    assert.equal(h.status, 0);
    assert.match(h.stdout, new RegExp(`^usage: hookmatch ${command} `));
    assert.match(h.stdout, /examples:/);
    for (const { name } of dialects()) assert.match(h.stdout, new RegExp(`\\b${name}\\b`));
    assert.equal(hookmatch(["help", command]).stdout, h.stdout);
  }
});

test("an unknown --dialect, --format or option is a usage error: exit 2", () => {
  const d = hookmatch(["preview", "samples/workfront/subscription.json", "samples/workfront/events.ndjson", "--dialect", "jira"]);
  assert.equal(d.status, 2);
  assert.match(d.stderr, /--dialect: unknown dialect "jira"/);
  assert.equal(hookmatch(["preview", "samples/workfront/subscription.json", "samples/workfront/events.ndjson", "--format", "xml"]).status, 2);
  assert.equal(hookmatch(["validate", "samples/workfront/subscription.json", "--format", "ndjson"]).status, 2);
  assert.equal(hookmatch(["deliver", "samples/workfront/subscription.json", "x.json", "--timestamp", "soon"]).status, 2);
  assert.equal(hookmatch(["preview", "samples/workfront/subscription.json", "samples/workfront/events.ndjson", "--json=1"]).status, 2);
});

test("--format ndjson writes one row per line; --matched keeps matches; --summary only counts", () => {
  const args = ["preview", "samples/workfront/subscription.json", "samples/workfront/events.ndjson"];
  const all = hookmatch([...args, "--format", "ndjson"]).stdout.trim().split("\n").map((l) => JSON.parse(l));
  const whole = JSON.parse(hookmatch([...args, "--format=json"]).stdout);
  assert.deepEqual(all, whole.results);
  const matched = hookmatch([...args, "--format", "ndjson", "--matched"]).stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(matched.map((r) => r.index), whole.matches);
  const table = hookmatch([...args, "--matched"]).stdout.trim().split("\n");
  assert.equal(table.length, 1 + whole.matches.length + 1);
  assert.deepEqual(JSON.parse(hookmatch([...args, "--summary", "--json"]).stdout), { total: 8, matched: 3, errors: 2 });
  assert.equal(hookmatch([...args, "--summary"]).stdout, "3 of 8 events matched; 2 could not be read\n");
});

test("a closed pipe ends the CLI quietly with exit 0, as head expects", () => {
  const event = readFileSync(new URL("../../samples/workfront/events.ndjson", import.meta.url), "utf8").split("\n")[0];
  const big = join(mkdtempSync(join(tmpdir(), "hookmatch-cli-")), "events.ndjson");
  writeFileSync(big, `${event}\n`.repeat(50_000));
  for (const format of ["table", "ndjson"]) {
    const r = spawnSync("bash", ["-o", "pipefail", "-c", `"${process.execPath}" "${cli}" preview samples/workfront/subscription.json "${big}" --format ${format} | head -n 2`], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout.trim().split("\n").length, 2);
  }
});

test("lint prints findings and exits 1 for a subscription that can never fire", () => {
  const never = JSON.stringify({ objCode: "TASK", eventType: "UPDATE", url: "https://h.example/x", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "status", fieldValue: "CPL" }] });
  const r = hookmatch(["lint", "-"], never);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^warning never_matches at \/filters\/1: .*\(see|together with.*\/filters\/0/m);
  const json = hookmatch(["lint", "-", "--json"], never);
  assert.deepEqual(JSON.parse(json.stdout).map((d) => d.code), ["never_matches"]);
  const ok = hookmatch(["lint", "samples/workfront/subscription.json"]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, "no findings\n");
});

test("example prints an event that fires (checked here with preview), --fail one that fails the filter, and exits 1 when none can", () => {
  const r = hookmatch(["example", "samples/workfront/subscription.json"]);
  assert.equal(r.status, 0, r.stderr);
  const event = JSON.parse(r.stdout);
  const check = JSON.parse(hookmatch(["preview", "samples/workfront/subscription.json", "-", "--json"], JSON.stringify(event)).stdout);
  assert.equal(check.matched, 1);
  const failing = JSON.parse(hookmatch(["example", "samples/workfront/subscription.json", "--fail", "0"]).stdout);
  const row = JSON.parse(hookmatch(["preview", "samples/workfront/subscription.json", "-", "--format", "ndjson"], JSON.stringify(failing)).stdout);
  assert.equal(row.matched, false);
  const never = JSON.stringify({ objCode: "TASK", eventType: "UPDATE", url: "https://h.example/x", authToken: "t", filters: [{ fieldName: "a", fieldValue: "1" }, { fieldName: "a", fieldValue: "2" }] });
  const none = hookmatch(["example", "-"], never);
  assert.equal(none.status, 1);
  assert.equal(none.stdout.trim(), "null");
  assert.match(none.stderr, /no event fires this subscription/);
});

test("example --base changes a given event as little as possible", () => {
  const base = join(mkdtempSync(join(tmpdir(), "hookmatch-cli-")), "event.json");
  const event = JSON.parse(readFileSync(new URL("../../samples/workfront/events.ndjson", import.meta.url), "utf8").split("\n")[1]);
  writeFileSync(base, JSON.stringify(event));
  const r = hookmatch(["example", "samples/workfront/subscription.json", "--base", base]);
  assert.equal(r.status, 0, r.stderr);
  const fixed = JSON.parse(r.stdout);
  assert.equal(JSON.parse(hookmatch(["preview", "samples/workfront/subscription.json", "-", "--json"], r.stdout).stdout).matched, 1);
  assert.deepEqual(fixed.newState.ID, event.newState.ID, "untouched fields stay");
});

test("diff prints the relation, witnesses and a batch's gains and losses", () => {
  const before = "samples/workfront/subscription.json";
  const spec = JSON.parse(readFileSync(new URL(`../../${before}`, import.meta.url), "utf8"));
  const after = join(mkdtempSync(join(tmpdir(), "hookmatch-cli-")), "after.json");
  writeFileSync(after, JSON.stringify({ ...spec, filters: [] }));
  const r = hookmatch(["diff", before, after, "samples/workfront/events.ndjson", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.relation, "wider");
  assert.equal(d.gained.length, 1);
  assert.equal(d.lost.length, 0);
  assert.equal(d.events.both + d.events.gained.length + d.events.lost.length + d.events.neither + d.events.errors.length, 8);
  const table = hookmatch(["diff", before, after]);
  assert.match(table.stdout, /^relation: wider$/m);
  assert.equal(hookmatch(["diff", before]).status, 2);
});

// Secrets given on the command line land in shell history and `ps`: a file,
// standard input or the environment keep them out.
test("deliver reads the secret from --secret, --secret-file (a file or -) and HOOKMATCH_SECRET", () => {
  const spec = "samples/asana/subscription.json";
  const secretOf = (r) => {
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).headers["X-Hook-Secret"];
  };
  const args = ["deliver", spec, "--handshake", "--reveal"];
  assert.equal(secretOf(hookmatch([...args, "--secret", "from-flag"])), "from-flag");
  const file = join(mkdtempSync(join(tmpdir(), "hookmatch-cli-")), "secret");
  // `echo s > file` writes a newline the secret does not hold; one is dropped.
  writeFileSync(file, "from-file\n");
  assert.equal(secretOf(hookmatch([...args, "--secret-file", file])), "from-file");
  writeFileSync(file, "crlf-file\r\n");
  assert.equal(secretOf(hookmatch([...args, "--secret-file", file])), "crlf-file");
  // Through a pipe: standard input is the secret.
  assert.equal(secretOf(hookmatch([...args, "--secret-file", "-"], "from-pipe\n")), "from-pipe");
  const piped = spawnSync("bash", ["-o", "pipefail", "-c", `printf 'from-%s' shell | "${process.execPath}" "${cli}" deliver ${spec} --handshake --reveal --secret-file -`], { cwd: root, encoding: "utf8", env: quiet });
  assert.equal(secretOf(piped), "from-shell");
  assert.equal(secretOf(hookmatch(args, undefined, { HOOKMATCH_SECRET: "from-env" })), "from-env");
  // The flags win over the environment; both flags at once is a usage error.
  assert.equal(secretOf(hookmatch([...args, "--secret", "from-flag"], undefined, { HOOKMATCH_SECRET: "from-env" })), "from-flag");
  assert.equal(secretOf(hookmatch([...args, "--secret-file", "-"], "from-pipe", { HOOKMATCH_SECRET: "from-env" })), "from-pipe");
  assert.equal(hookmatch([...args, "--secret", "a", "--secret-file", file]).status, 2);
  // An empty file is a mistake, not an empty secret; a missing file is unreadable input.
  writeFileSync(file, "\n");
  const empty = hookmatch([...args, "--secret-file", file]);
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /--secret-file .* is empty/);
  assert.equal(hookmatch([...args, "--secret-file", `${file}.missing`]).status, 1);
  // A signature is made with the secret from the environment: Asana's
  // X-Hook-Signature is the hex HMAC-SHA256 of the body under it.
  // (The sample fires for an added story.)
  const event = JSON.stringify({ action: "added", resource: { gid: "2", resource_type: "story" } });
  const signed = hookmatch(["deliver", spec, "-", "--reveal"], event, { HOOKMATCH_SECRET: "env-key" });
  assert.equal(signed.status, 0, signed.stderr);
  const d = JSON.parse(signed.stdout);
  assert.equal(d.headers["X-Hook-Signature"], createHmac("sha256", "env-key").update(d.body).digest("hex"));
});

test("deliver masks the places the delivery lists unless --reveal, in JSON and as curl", () => {
  // Kanboard appends the token as it is after the URL's own query, which
  // here holds a token= of its own (WebhookNotification::notifyProject).
  const token = "tok&en#tail-9931";
  const spec = JSON.stringify({ url: "https://k.example.com/hook?token=mine", token });
  const event = JSON.stringify({ event_name: "task.create", event_data: {} });
  const dir = mkdtempSync(join(tmpdir(), "hookmatch-cli-"));
  writeFileSync(join(dir, "spec.json"), spec);
  const masked = hookmatch(["deliver", join(dir, "spec.json"), "-"], event);
  assert.equal(masked.status, 0, masked.stderr);
  assert.equal(JSON.parse(masked.stdout).url, "https://k.example.com/hook?token=mine&token=••••");
  for (const part of ["tok&en", "en#tail", "tail-9931"]) assert.ok(!masked.stdout.includes(part), part);
  const curl = hookmatch(["deliver", join(dir, "spec.json"), "-", "--format", "curl"], event);
  assert.equal(curl.status, 0, curl.stderr);
  assert.match(curl.stdout, /^curl -X POST 'https:\/\/k\.example\.com\/hook\?token=mine&token=••••' /);
  assert.ok(!curl.stdout.includes("tail-9931"));
  const shown = hookmatch(["deliver", join(dir, "spec.json"), "-", "--reveal"], event);
  assert.equal(JSON.parse(shown.stdout).url, `https://k.example.com/hook?token=mine&token=${token}`);
  assert.equal(hookmatch(["deliver", join(dir, "spec.json"), "-", "--format", "table"], event).status, 2);
});

test("--allow-private-networks lets a Kanboard hook target a private address", () => {
  // Kanboard refuses private targets unless WEBHOOK_ALLOW_PRIVATE_NETWORKS
  // (its isPrivateURL check); 10.0.0.0/8 is private (RFC 1918).
  const spec = JSON.stringify({ url: "http://10.0.0.7/hook", token: "t" });
  const event = JSON.stringify({ event_name: "task.create", event_data: {} });
  const refused = hookmatch(["validate", "-"], spec);
  assert.equal(refused.status, 1);
  const allowed = hookmatch(["validate", "-", "--allow-private-networks"], spec);
  assert.equal(allowed.status, 0, allowed.stdout);
  assert.equal(allowed.stdout, "valid\n");
  const dir = mkdtempSync(join(tmpdir(), "hookmatch-cli-"));
  writeFileSync(join(dir, "spec.json"), spec);
  assert.equal(hookmatch(["deliver", join(dir, "spec.json"), "-"], event).status, 1);
  const d = hookmatch(["deliver", join(dir, "spec.json"), "-", "--allow-private-networks", "--reveal"], event);
  assert.equal(d.status, 0, d.stderr);
  assert.equal(JSON.parse(d.stdout).url, "http://10.0.0.7/hook?token=t");
  assert.equal(hookmatch(["lint", "-", "--allow-private-networks"], spec).status, 0);
  assert.match(hookmatch(["deliver", "--help"]).stdout, /--allow-private-networks/);
});

// The table is written as rows are decided, so its widths cannot come from
// the rows; past 99,999 events (six digits) the old fixed widths ran cells
// together ("100000100001matched").
test("the table's columns stay apart and aligned past 100,000 events, from a file and from a pipe", () => {
  const lines = readFileSync(new URL("../../samples/workfront/events.ndjson", import.meta.url), "utf8").split("\n");
  const [matching, other] = [lines[0], lines[1]];
  const n = 100_010;
  const text = Array.from({ length: n }, (_, i) => (i % 2 ? other : matching)).join("\n") + "\n";
  const file = join(mkdtempSync(join(tmpdir(), "hookmatch-cli-")), "events.ndjson");
  writeFileSync(file, text);
  const spec = "samples/workfront/subscription.json";
  for (const [args, input] of [[[file], undefined], [["-"], text]]) {
    const r = spawnSync(process.execPath, [cli, "preview", spec, ...args], { cwd: root, input, encoding: "utf8", env: quiet, maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trimEnd().split("\n");
    assert.equal(out.length, 1 + n + 1);
    const header = out[0];
    const at = { line: header.indexOf("line"), result: header.indexOf("result"), reason: header.indexOf("reason") };
    for (let i = 1; i <= n; i++) {
      const row = out[i];
      const index = i - 1;
      // The cells, by where the header puts each column.
      assert.equal(row.slice(0, at.line).trimEnd(), String(index), row);
      assert.equal(row.slice(at.line, at.result).trimEnd(), String(index + 1), row);
      assert.equal(row.slice(at.result, at.reason).trimEnd(), index % 2 ? "no" : "matched", row);
      // Every cell ends with two spaces before the next column.
      assert.equal(row.slice(at.line - 2, at.line), "  ", row);
      assert.equal(row.slice(at.result - 2, at.result), "  ", row);
    }
    assert.match(out[100_001], /^100000 +100001 +matched$/);
    assert.match(out[100_002], /^100001 +100002 +no +eventType is "CREATE"/);
    assert.equal(out.at(-1), `${n / 2} of ${n} events matched; 0 could not be read`);
  }
});

/**
 * Where `value` (its exact text) starts in `text` after the key `"key":`
 * that follows `after`: 1-based line and column (UTF-16 units), found by
 * searching the text, not by walking a pointer as the CLI does.
 */
function positionAfterKey(text, key, after = 0) {
  const k = text.indexOf(`"${key}"`, after);
  assert.ok(k >= 0, key);
  let i = text.indexOf(":", k) + 1;
  while (/\s/.test(text[i])) i++;
  return positionOf(text, i);
}
function positionOf(text, offset) {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1).length + 1 };
}

/** A repository of subscription files, some bad, one written twice. */
function specFolder() {
  const dir = mkdtempSync(join(tmpdir(), "hookmatch-lint-"));
  const base = { objCode: "PROJ", eventType: "UPDATE", url: "https://hooks.example.com/wf", authToken: "SECRET-good-4711", filters: [{ fieldName: "status", fieldValue: "CUR" }] };
  const files = {
    // A good one, pretty-printed.
    "a-good.json": JSON.stringify(base, null, 2),
    // The same subscription with its keys in another order, on one line, in
    // a subfolder: the vendor compares fields, not text.
    "team/copy.json": JSON.stringify({ filters: base.filters, authToken: base.authToken, url: base.url, eventType: "UPDATE", objCode: "PROJ" }),
    // Same target, a filter of its own: both fire for a CUR project named "x".
    "overlap.json": JSON.stringify({ ...base, authToken: "SECRET-overlap-815", filters: [{ fieldName: "name", fieldValue: "x" }] }, null, 4),
    // An error at /url, its value on line 4 after other members.
    "bad-url.json": `{\n  "objCode": "PROJ",\n  "eventType": "UPDATE",\n  "url":   "ftp://files.example.com",\n  "authToken": "SECRET-bad-0042"\n}\n`,
    // Never fires: status CUR and status CPL at once; the second filter is the one named.
    "never.json": `{\n  "objCode": "TASK", "eventType": "UPDATE", "url": "https://h.example/x", "authToken": "SECRET-never-77",\n  "filters": [\n    { "fieldName": "status", "fieldValue": "CUR" },\n      { "fieldName": "status", "fieldValue": "CPL" }\n  ]\n}\n`,
    // Not JSON: a second comma at line 2, column 21.
    "broken.json": `{\n  "objCode": "PROJ",,\n  "authToken": "SECRET-broken-1"\n}\n`,
    // Not specs: other files, and folders a repository has but no one lints.
    "README.md": "# subscriptions\n",
    "node_modules/dep/package.json": "{}",
    ".git/config.json": "{}",
    "empty/.cache/state.json": "{}",
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, files, secrets: ["SECRET-good-4711", "SECRET-overlap-815", "SECRET-bad-0042", "SECRET-never-77", "SECRET-broken-1"] };
}

test("lint checks a folder of specs in one run: each file's diagnostics, duplicates and overlaps across them, exit 1", () => {
  const { dir, secrets } = specFolder();
  const run = (...args) => spawnSync(process.execPath, [cli, "lint", ...args], { cwd: dir, encoding: "utf8", env: quiet });
  const r = run(".");
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split("\n");
  const byFile = (f) => lines.filter((l) => l.startsWith(`${f}:`));
  assert.match(byFile("bad-url.json")[0], /^bad-url\.json:4:12: error invalid_url at \/url: /);
  assert.match(byFile("never.json")[0], /^never\.json:5:7: warning never_matches at \/filters\/1: /);
  assert.match(byFile("broken.json")[0], /^broken\.json:2:21: error invalid_json: /);
  assert.match(byFile("team/copy.json")[0], /^team\/copy\.json:1:1: warning duplicate_subscription: "team\/copy\.json" is the same subscription as "a-good\.json"/);
  assert.match(byFile("overlap.json")[0], /^overlap\.json:1:1: warning overlapping_delivery: "a-good\.json" and "overlap\.json" send to the same target/);
  assert.deepEqual(byFile("a-good.json"), [], "the first of two equal files is fine; the second is named");
  // Only *.json files, none under node_modules or a hidden folder.
  assert.equal(lines.at(-1), "hookmatch lint: 6 files, 2 errors, 3 warnings");
  // Files and folders mix; a file named twice is read once.
  const some = run("a-good.json", "team", "./a-good.json");
  assert.equal(some.status, 0, some.stdout);
  assert.equal(some.stdout, 'team/copy.json:1:1: warning duplicate_subscription: "team/copy.json" is the same subscription as "a-good.json": they differ in no field the vendor compares, so the vendor refuses the second or delivers every event twice\nhookmatch lint: 2 files, 0 errors, 1 warning\n');
  // --json: the diagnostics with their file, line and column.
  const json = JSON.parse(run(".", "--json").stdout);
  assert.deepEqual(json.map((d) => [d.file, d.code, d.line, d.column]).sort(), [
    ["bad-url.json", "invalid_url", 4, 12],
    ["broken.json", "invalid_json", 2, 21],
    ["never.json", "never_matches", 5, 7],
    ["overlap.json", "overlapping_delivery", 1, 1],
    ["team/copy.json", "duplicate_subscription", 1, 1],
  ]);
  for (const format of ["table", "json", "github", "sarif"]) {
    const out = run(".", "--format", format);
    assert.equal(out.status, 1, format);
    for (const s of secrets) assert.ok(!out.stdout.includes(s) && !out.stderr.includes(s), `${format} shows ${s}`);
  }
  assert.equal(run("README.md").status, 1, "a named file is read whatever its name");
  // A folder with no spec (its only .json in a hidden folder) is a mistake, not a pass.
  const none = run("empty");
  assert.equal(none.status, 1);
  assert.equal(none.stderr, "hookmatch: empty holds no .json file\n");
  assert.equal(run().status, 2);
  assert.equal(run(".", "--format", "xml").status, 2);
});

test("lint --format github writes an annotation at the line and column of each diagnostic's value", () => {
  const { dir, files } = specFolder();
  const r = spawnSync(process.execPath, [cli, "lint", ".", "--format", "github"], { cwd: dir, encoding: "utf8", env: quiet });
  assert.equal(r.status, 1, r.stderr);
  const annotations = r.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("::"))
    .map((l) => {
      // ::level key=value,key=value::message (GitHub's workflow command syntax)
      const m = /^::(error|warning) ([^:]*)::(.*)$/.exec(l);
      assert.ok(m, l);
      const props = Object.fromEntries(m[2].split(",").map((p) => p.split("=")));
      return { level: m[1], ...props, message: m[3] };
    });
  const at = (file) => annotations.find((a) => a.file === file);
  const where = (a) => ({ line: Number(a.line), column: Number(a.col) });
  // The value of "url" in bad-url.json, found by searching for the key.
  assert.deepEqual(where(at("bad-url.json")), positionAfterKey(files["bad-url.json"], "url"));
  assert.equal(at("bad-url.json").level, "error");
  assert.equal(at("bad-url.json").title, "hookmatch invalid_url");
  // The annotation covers the value, its last character included.
  assert.equal(Number(at("bad-url.json").endColumn), Number(at("bad-url.json").col) + '"ftp://files.example.com"'.length - 1);
  // A value over several lines is marked where it starts (GitHub takes no
  // columns on an annotation across lines): no endLine, no endColumn.
  assert.ok(!("endLine" in at("team/copy.json")) && !("endColumn" in at("overlap.json")));
  // /filters/1: the second { of the filters array.
  const never = files["never.json"];
  assert.deepEqual(where(at("never.json")), positionOf(never, never.indexOf("{", never.indexOf('"CUR"'))));
  assert.equal(at("never.json").level, "error", "a subscription that never fires fails the check");
  assert.match(at("never.json").message, /^\/filters\/1: no event can pass status eq "CPL"/);
  // invalid_json: where the parser stopped, the second comma.
  const broken = files["broken.json"];
  assert.deepEqual(where(at("broken.json")), positionOf(broken, broken.indexOf(",,") + 1));
  // Set findings name the whole document: its first character.
  assert.deepEqual(where(at("team/copy.json")), { line: 1, column: 1 });
  assert.equal(at("team/copy.json").level, "warning");
  assert.equal(at("overlap.json").level, "warning");
  assert.equal(annotations.length, 5);
  // A message's newlines and a property's commas and colons are escaped, as
  // GitHub reads them back (%0A, %2C, %3A).
  const odd = join(dir, "a,b:c.json");
  writeFileSync(odd, "{");
  const e = spawnSync(process.execPath, [cli, "lint", "a,b:c.json", "--format", "github"], { cwd: dir, encoding: "utf8", env: quiet });
  assert.match(e.stdout, /^::error file=a%2Cb%3Ac\.json,line=1,col=\d+,title=hookmatch invalid_json::the spec is not valid JSON/);
});

test("lint --format sarif writes SARIF 2.1.0 that code scanning reads", () => {
  const { dir, files } = specFolder();
  const r = spawnSync(process.execPath, [cli, "lint", ".", "--format", "sarif"], { cwd: dir, encoding: "utf8", env: quiet });
  assert.equal(r.status, 1, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, "2.1.0");
  assert.match(log.$schema, /sarif-2\.1\.0(-rtm\.\d+)?\.json$/);
  assert.equal(log.runs.length, 1);
  const [run] = log.runs;
  assert.equal(run.tool.driver.name, "hookmatch");
  const ruleIds = run.tool.driver.rules.map((rule) => rule.id);
  assert.equal(new Set(ruleIds).size, ruleIds.length, "one rule per code");
  assert.equal(run.results.length, 5);
  for (const result of run.results) {
    assert.ok(ruleIds.includes(result.ruleId));
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.ok(["error", "warning"].includes(result.level));
    assert.equal(typeof result.message.text, "string");
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    assert.ok(Object.hasOwn(files, decodeURIComponent(artifactLocation.uri)), artifactLocation.uri);
    assert.ok(Number.isInteger(region.startLine) && region.startLine >= 1);
    assert.ok(Number.isInteger(region.startColumn) && region.startColumn >= 1);
  }
  const url = run.results.find((x) => x.ruleId === "invalid_url");
  const { region } = url.locations[0].physicalLocation;
  const text = files["bad-url.json"];
  const start = positionAfterKey(text, "url");
  assert.deepEqual({ line: region.startLine, column: region.startColumn }, start);
  // The region ends after the value's last character ("ftp://files.example.com", quotes included).
  assert.deepEqual({ line: region.endLine, column: region.endColumn }, { line: start.line, column: start.column + '"ftp://files.example.com"'.length });
});

/** Run the CLI with standard input and output as pipes, the child's peak RSS reported on exit. */
function spawnCli(args) {
  // Loaded before the CLI: on exit, the process's own peak resident set
  // size (KiB) on standard error, a line the tests take off again. Linux's
  // VmHWM is the program's own; getrusage's maxRSS (the fallback elsewhere)
  // also counts what the test process held when it forked the child.
  const report = `data:text/javascript,${encodeURIComponent(`import { readFileSync } from "node:fs";
process.on("exit", () => {
  let kib = process.resourceUsage().maxRSS;
  try { kib = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]); } catch {}
  process.stderr.write("hookmatch-test maxRSS " + kib + "\\n");
});`)}`;
  return spawn(process.execPath, ["--import", report, cli, ...args], { cwd: root, env: quiet, stdio: ["pipe", "pipe", "pipe"] });
}

/** Collect a child's output: stdout through `onData` (or kept whole), stderr kept, then the exit. */
function finished(child, onData) {
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (c) => (onData ? onData(c) : (stdout += c)));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (c) => (stderr += c));
  return new Promise((resolve) =>
    child.on("close", (status) => {
      const rss = /^hookmatch-test maxRSS (\d+)$/m.exec(stderr);
      resolve({ status, stdout, stderr: stderr.replace(/^hookmatch-test maxRSS \d+\n/m, ""), maxRSS: rss ? Number(rss[1]) * 1024 : undefined });
    }),
  );
}

/** What the child has written once `enough` says so, while it runs. */
function firstOutput(child, enough) {
  return new Promise((resolve, reject) => {
    let seen = "";
    const take = (c) => {
      seen += c;
      if (enough(seen)) {
        child.stdout.off("data", take);
        resolve(seen);
      }
    };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", take);
    child.on("close", () => reject(new Error(`the CLI ended before writing its first row: ${JSON.stringify(seen)}`)));
  });
}

const sampleEvents = readFileSync(new URL("../../samples/workfront/events.ndjson", import.meta.url), "utf8").trimEnd().split("\n");

// A pipeline's consumer sees rows while the producer is still writing: the
// CLI writes each row when its event is decided, not after the input ends.
test("preview writes rows before its NDJSON input ends, in every format", async () => {
  const spec = "samples/workfront/subscription.json";
  const rows = sampleEvents.slice(0, 5);
  const starts = { table: "#", ndjson: '{"index":0,', json: '{"results":[{"index":0,' };
  // The first row, whole: the table's second line, the first NDJSON line, the first object of results.
  const firstRow = {
    table: (out) => out.split("\n").length > 2,
    ndjson: (out) => out.includes("\n"),
    json: (out) => out.indexOf("}", starts.json.length) !== -1,
  };
  for (const format of ["table", "ndjson", "json"]) {
    const child = spawnCli(["preview", spec, "-", "--format", format]);
    const done = firstOutput(child, firstRow[format]).then((first) => {
      // Only now is the rest written and the input closed.
      child.stdin.end(`${sampleEvents.join("\n")}\n`);
      return first;
    });
    child.stdin.write(`${rows.join("\n")}\n`);
    const first = await done;
    const rest = await finished(child);
    assert.equal(rest.status, 0, rest.stderr);
    assert.ok(first.startsWith(starts[format]), `${format}: ${first}`);
    const all = first + rest.stdout;
    // 5 events, then the 8 of the sample: the sample's 3 matches twice
    // less the ones among the first five (indices 0, 3, 4 match).
    if (format === "ndjson") assert.equal(all.trim().split("\n").length, 13);
    if (format === "table") assert.equal(all.trim().split("\n").at(-1), "6 of 13 events matched; 2 could not be read");
    if (format === "json") {
      const whole = JSON.parse(all);
      assert.equal(whole.results.length, 13);
      assert.deepEqual(whole.matches, [0, 3, 4, 5, 8, 9]);
      assert.equal(whole.errors.length, 2);
    }
  }
});

test("preview of a large NDJSON input holds memory bounded as --summary does, in every format", async (t) => {
  // About 50 MB of small events: the more rows per byte, the more a preview
  // that kept them all would hold (the old CLI held every row until the end).
  const dir = mkdtempSync(join(tmpdir(), "hookmatch-cli-"));
  const file = join(dir, "big.ndjson");
  const parts = [];
  let bytes = 0;
  for (let i = 0; bytes < 50e6; i++) {
    const line = `{"eventType":"${i % 5 ? "UPDATE" : "CREATE"}","newState":{"objCode":"PROJ","ID":"p${i}","name":"project ${i}${i % 3 ? " updated" : ""}","status":"${i % 2 ? "CUR" : "PLN"}","priority":${i % 4}},"oldState":{}}\n`;
    parts.push(line);
    bytes += line.length;
  }
  writeFileSync(file, parts.join(""));
  const events = parts.length;
  parts.length = 0;
  const spec = "samples/workfront/subscription.json";
  const peak = {};
  for (const format of ["summary", "table", "ndjson", "json"]) {
    const args = format === "summary" ? ["--summary"] : ["--format", format];
    const child = spawnCli(["preview", spec, file, ...args]);
    child.stdin.end();
    // Read as a consumer does, keeping only what is checked: the lines, and
    // whether the JSON's counts follow its rows.
    let lines = 0;
    let tail = "";
    const counts = `}],"total":${events},"matched":`;
    let countsFound = false;
    const r = await finished(child, (c) => {
      for (let i = c.indexOf("\n"); i !== -1; i = c.indexOf("\n", i + 1)) lines++;
      const seen = tail + c;
      countsFound ||= seen.includes(counts);
      tail = seen.slice(-counts.length);
    });
    assert.equal(r.status, 0, r.stderr);
    peak[format] = r.maxRSS;
    if (format === "ndjson") assert.equal(lines, events);
    if (format === "table") assert.equal(lines, 1 + events + 1);
    if (format === "json") {
      assert.ok(countsFound, "the counts follow the rows");
      assert.ok(tail.endsWith('"errors":[]}\n'), tail);
      assert.equal(lines, 1);
    }
  }
  const mb = Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 2 ** 20)]));
  t.diagnostic(`${events} events, ${Math.round(bytes / 1e6)} MB: peak RSS (MiB) ${JSON.stringify(mb)}`);
  for (const format of ["table", "ndjson", "json"]) {
    assert.ok(peak[format] < 150 * 2 ** 20, `${format}: ${mb[format]} MiB`);
    // The rows cost no more than a few chunks' worth over the counts alone.
    assert.ok(peak[format] < peak.summary + 40 * 2 ** 20, `${format}: ${mb[format]} MiB, --summary ${mb.summary} MiB`);
  }
});

// What the CLI's streaming preview stands on: previewStream's onRows.
test("previewStream's onRows hands over every row as it is decided, awaited, and keeps none", async () => {
  const sub = Subscription.compile(readFileSync(new URL("../../samples/workfront/subscription.json", import.meta.url), "utf8"));
  const whole = sub.preview(sampleEvents.join("\n"), { details: true });
  // Line by line: each line's row arrives once the next line starts it off
  // or the input ends; a slow consumer holds the reading up.
  const got = [];
  const calls = [];
  async function* lines() {
    for (const line of sampleEvents) {
      calls.push(["chunk", got.length]);
      yield `${line}\n`;
    }
  }
  const result = await sub.previewStream(lines(), {
    onRows: async (rows) => {
      calls.push(["rows", rows.length]);
      await new Promise((r) => setTimeout(r, 1));
      got.push(...rows);
    },
  });
  assert.deepEqual(got, whole.results);
  // Neither the rows nor the matched indices are kept: the rows say which matched.
  assert.deepEqual({ ...result }, { total: whole.total, matched: whole.matched, errors: whole.errors });
  assert.deepEqual(got.filter((r) => r.matched).map((r) => r.index), whole.matches);
  // The rows came while the input was read, not all at its end.
  assert.ok(calls.findIndex(([k]) => k === "rows") < calls.findLastIndex(([k]) => k === "chunk"), JSON.stringify(calls));
  // Each chunk is read only once the rows before it were taken: onRows's
  // promise (which adds them after a timer) is awaited.
  let announced = 0;
  for (const [k, n] of calls) {
    if (k === "rows") announced += n;
    else assert.equal(n, announced, JSON.stringify(calls));
  }
  // A JSON array is one document: its rows come once it is whole.
  const arrayRows = [];
  await sub.previewStream([`[${sampleEvents.slice(0, 6).join(",")}]`], { onRows: (rows) => void arrayRows.push(rows.length) });
  assert.deepEqual(arrayRows, [6]);
  // Misuse says which option is wrong.
  for (const [options, path] of [
    [{ onRows: 1 }, "/onRows"],
    [{ onRows() {}, details: false }, "/details"],
    [{ onRows() {}, maxResults: 5 }, "/maxResults"],
  ]) {
    await assert.rejects(sub.previewStream("{}", options), (e) => e.code === "invalid_input" && e.path === path);
  }
  const set = SubscriptionSet.compile([]);
  await assert.rejects(set.previewStream("{}", { onRows() {} }), (e) => e.code === "invalid_input" && e.path === "/onRows");
  // An error thrown by onRows rejects the preview.
  await assert.rejects(sub.previewStream(`${sampleEvents[0]}\n`, { onRows() { throw new Error("stop"); } }), /stop/);
  set.free();
  sub.free();
});
