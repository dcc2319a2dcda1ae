#!/usr/bin/env node
// hookmatch CLI: preview, validate and deliver from a terminal, a pipe or CI.
// It reads files and writes answers; every rule (dialects, matching, the
// reasons it prints) comes from the package.
//
// Exit codes: 0 ran (whatever matched), 1 invalid spec or input, 2 usage.
import { createReadStream, readFileSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { Subscription, SubscriptionSet, validate, lint, diff, dialects } from "../node.js";
import { maskDelivery, curlCommand } from "../elements.js";

// The vendors are the registry's, as the package reports them.
const DIALECTS = dialects()
  .map((d) => d.name)
  .join(", ");
const COMMON = `  --dialect D        read SPEC as dialect D (${DIALECTS});
                     without it the dialect is detected from the spec's fields
  --allow-private-networks
                     accept targets on private networks (Kanboard's
                     WEBHOOK_ALLOW_PRIVATE_NETWORKS)
  -h, --help         this help`;

const HELP = {
  main: `hookmatch — would this webhook subscription fire for this event, and what would be delivered?

usage: hookmatch <command> [options]

commands:
  preview SPEC EVENTS   which events the subscription delivers, and why not
  validate SPEC         the spec's errors and warnings
  deliver SPEC [EVENT]  the HTTP request the vendor would send
  lint SPEC…            diagnostics plus findings: filters that never match,
                        always pass, are redundant or written twice; across
                        files (or a directory), subscriptions written twice
                        or delivering the same event to the same target
  diff BEFORE AFTER [EVENTS]  what an edit gains and loses, with example events
  example SPEC          an event that fires the subscription (or fails a filter)

options:
  -V, --version         the version
  -h, --help            this help; hookmatch <command> --help for a command's

A file name of - reads standard input. Dialects: ${DIALECTS}.
Exit codes: 0 ran (whatever matched), 1 invalid spec or input, 2 usage.`,
  preview: `usage: hookmatch preview SPEC EVENTS [options]

Evaluate every event of EVENTS (NDJSON, a JSON array, or JSON documents one
after another) against the subscription in SPEC. Rows are written as NDJSON
events are read, in memory that does not grow with the input; a JSON array
is read whole first.

options:
  --format F         table (default), json (the whole result, its rows
                     first), or ndjson (one row per line)
  --json             the same as --format json
  --matched          only the events that matched
  --summary          only the counts: events, matched, unreadable
${COMMON}

examples:
  hookmatch preview sub.json events.ndjson
  hookmatch preview sub.json events.ndjson --format ndjson --matched | head
  curl -s https://example.com/events.json | hookmatch preview sub.json - --summary`,
  validate: `usage: hookmatch validate SPEC [options]

Print the spec's errors and warnings, or "valid". Exits 1 when there is an error.

options:
  --format F         table (default) or json
  --json             the same as --format json
${COMMON}

examples:
  hookmatch validate sub.json
  hookmatch validate - --dialect kanboard < hook.json`,
  deliver: `usage: hookmatch deliver SPEC [EVENT] [options]

Print the request (method, url, headers, body) the vendor sends for EVENT, or
null with the reason on standard error when it sends nothing.

Secrets (credential headers, signatures, a token in the URL) are masked
unless --reveal.

options:
  --secret S         sign with secret S where the dialect signs deliveries
  --secret-file PATH read the secret from PATH (- for standard input; one
                     trailing newline is dropped); without --secret or
                     --secret-file, the HOOKMATCH_SECRET environment variable
  --signature NAME   the signing scheme (standard-webhooks)
  --format F         json (default) or curl (a curl command that sends it)
  --reveal           show the secrets (a request to replay, not to log)
  --timestamp T      the signing time, whole Unix seconds
  --test             the vendor's test delivery (no EVENT)
  --handshake        Asana's handshake request (no EVENT)
  --heartbeat        Asana's heartbeat delivery (no EVENT)
${COMMON}

examples:
  hookmatch deliver sub.json event.json
  hookmatch deliver asana-webhook.json --handshake
  HOOKMATCH_SECRET=s3cret hookmatch deliver sub.json event.json --format curl --reveal | sh`,
};

HELP.lint = `usage: hookmatch lint SPEC… [options]

validate's diagnostics plus what the analysis proves: never_matches (no event
can fire it), always_passes, redundant_filter, duplicate_filter. Each SPEC is
a file, - (standard input) or a directory, searched for *.json files (not in
hidden folders or node_modules). With several, what holds across them too:
duplicate_subscription (the same subscription twice) and overlapping_delivery
(two that send some event to the same target). Exits 1 when any spec has an
error or can never fire.

options:
  --format F         table (default), json, github (GitHub Actions
                     annotations at each finding's file, line and column) or
                     sarif (SARIF 2.1.0, for code scanning)
  --json             the same as --format json
${COMMON}

examples:
  hookmatch lint sub.json
  hookmatch lint subscriptions/ --format github
  hookmatch lint subscriptions/ --format sarif > hookmatch.sarif
  hookmatch lint sub.json --json | jq '.[] | select(.code == "never_matches")'`;

HELP.diff = `usage: hookmatch diff BEFORE AFTER [EVENTS] [options]

How the edit from BEFORE to AFTER changes what fires: equivalent, narrower,
wider, overlapping or disjoint, with an event gained and one lost (each
checked); with EVENTS, which of them the edit gains and loses.

options:
  --format F         table (default) or json
  --json             the same as --format json
${COMMON}

examples:
  hookmatch diff saved.json edited.json
  hookmatch diff saved.json edited.json events.ndjson --json`;

HELP.example = `usage: hookmatch example SPEC [options]

Print the smallest event that fires the subscription (checked with the
engine). Exits 1 when no event can.

options:
  --fail F           an event that fails filter F (a top-level index such as 2,
                     or a pointer such as /filters/2/filters/0) and passes the rest
  --base EVENT       change the event in file EVENT as little as possible
${COMMON}

examples:
  hookmatch example sub.json
  hookmatch example sub.json --base event.json   # what would this event need?
  hookmatch example sub.json --fail 1`;

const COMMANDS = { preview, validate: validateCmd, deliver: deliverCmd, lint: lintCmd, diff: diffCmd, example: exampleCmd };

// A closed pipe (`| head`) is the reader saying it has enough: leave quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

class UsageError extends Error {}

function usage(message) {
  throw new UsageError(message);
}

function version() {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
}

const FLAGS = {
  "--json": ["format", () => "json"],
  "--matched": ["matched", () => true],
  "--summary": ["summary", () => true],
  "--test": ["test", () => true],
  "--handshake": ["handshake", () => true],
  "--heartbeat": ["heartbeat", () => true],
  "--reveal": ["reveal", () => true],
  "--allow-private-networks": ["allowPrivateNetworks", () => true],
  "--secret-file": ["secretFile", (v) => v, true],
  "--format": ["format", (v) => v, true],
  "--fail": ["fail", (v) => (/^\d+$/.test(v) ? Number(v) : v), true],
  "--base": ["base", (v) => v, true],
  "--dialect": ["dialect", (v) => v, true],
  "--secret": ["secret", (v) => v, true],
  "--signature": ["signature", (v) => v, true],
  "--timestamp": [
    "timestamp",
    (v) => {
      const t = Number(v);
      if (!/^\d+$/.test(v) || !Number.isSafeInteger(t)) usage("--timestamp needs whole Unix seconds, e.g. --timestamp 1700000000");
      return t;
    },
    true,
  ],
};

function parseArgs(argv) {
  const positional = [];
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === "-h" || a === "--help") {
      flags.help = true;
      continue;
    }
    if (a === "-" || !a.startsWith("-")) {
      positional.push(a);
      continue;
    }
    let inline;
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0) [a, inline] = [a.slice(0, eq), a.slice(eq + 1)];
    const flag = FLAGS[a];
    if (!flag) usage(`unknown option ${a}`);
    const [key, read, takesValue] = flag;
    if (takesValue) {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      flags[key] = read(v);
    } else {
      if (inline !== undefined) usage(`${a} takes no value`);
      flags[key] = read();
    }
  }
  return { positional, flags };
}

let stdinUsed = false;
function takeStdin() {
  if (stdinUsed) usage("only one input can be read from standard input (-)");
  stdinUsed = true;
}

function readInput(name) {
  if (name === "-") {
    takeStdin();
    return readFileSync(0);
  }
  try {
    return readFileSync(name);
  } catch (e) {
    throw new InputError(`cannot read ${name}: ${e.code || e.message}`);
  }
}

/** A file (or standard input) as a stream of byte chunks. */
function streamOf(name) {
  if (name === "-") {
    takeStdin();
    return process.stdin;
  }
  return createReadStream(name);
}

class InputError extends Error {}

/** A HookmatchError as lines: its diagnostics when it has them (the first is its message), else its message. */
function describe(e) {
  const at = (path) => (path !== undefined && path !== "" ? ` at ${path}` : "");
  if (e.diagnostics && e.diagnostics.length) {
    return e.diagnostics.map((d) => `hookmatch: ${d.severity} ${d.code}${at(d.path)}: ${d.message}`).join("\n");
  }
  return `hookmatch: error ${e.code}${at(e.path)}: ${e.message}`;
}

/** The compile options the flags give (--dialect, --allow-private-networks). */
function compileOptions(flags) {
  const options = {};
  if (flags.dialect !== undefined) options.dialect = flags.dialect;
  if (flags.allowPrivateNetworks) options.allowPrivateNetworks = true;
  return options;
}

function compile(specFile, flags) {
  const text = new TextDecoder().decode(readInput(specFile));
  return Subscription.compile(text, compileOptions(flags));
}

/**
 * The secret from --secret, --secret-file or HOOKMATCH_SECRET (an empty
 * variable counts as unset, as shells often leave one). A file's one
 * trailing newline is dropped: `echo s3cret > f` means "s3cret".
 */
function secretOf(flags) {
  if (flags.secret !== undefined && flags.secretFile !== undefined) usage("give --secret or --secret-file, not both");
  if (flags.secret !== undefined) return flags.secret;
  if (flags.secretFile !== undefined) {
    const text = new TextDecoder().decode(readInput(flags.secretFile)).replace(/\r?\n$/, "");
    if (text === "") throw new InputError(`--secret-file ${flags.secretFile} is empty`);
    return text;
  }
  const env = process.env.HOOKMATCH_SECRET;
  return env === undefined || env === "" ? undefined : env;
}

function formatOf(flags, allowed, fallback = "table") {
  const format = flags.format ?? fallback;
  if (!allowed.includes(format)) usage(`--format must be one of ${allowed.join(", ")}`);
  return format;
}

/** Write lines with back-pressure, so a large answer streams instead of piling up. */
async function writeLines(lines) {
  let buffer = "";
  for (const line of lines) {
    buffer += `${line}\n`;
    if (buffer.length >= 1 << 16) {
      if (!process.stdout.write(buffer)) await new Promise((r) => process.stdout.once("drain", r));
      buffer = "";
    }
  }
  if (buffer) process.stdout.write(buffer);
}

function pad(s, n) {
  s = String(s);
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/**
 * The table's layout. Rows are written as they are decided, so the widths
 * cannot come from the rows: they come from a bound known before the first
 * one. An event takes at least one byte and a line ends with one, so a file
 * of `size` bytes has fewer than size + 2 events and lines; a pipe's size is
 * unknown, so its widths hold 999,999,999 events. Past that a cell grows, and
 * the two spaces after every cell still keep the columns apart.
 */
function tableLayout(size) {
  const digits = String(size > 0 ? size + 1 : 999_999_999).length;
  const index = Math.max("#".length, digits) + 2;
  const line = Math.max("line".length, digits) + 2;
  const result = "matched".length + 2;
  const cell = (s, n) => {
    s = String(s);
    return s.length + 2 > n ? `${s}  ` : pad(s, n);
  };
  return {
    header: `${pad("#", index)}${pad("line", line)}${pad("result", result)}reason`,
    row(row) {
      const status = row.code ? "error" : row.matched ? "matched" : "no";
      const reason = row.code ? `${row.code}: ${row.reason}` : row.reason;
      // A match has no reason: no padding left dangling at the end.
      return `${cell(row.index, index)}${cell(row.line ?? "", line)}${cell(status, result)}${reason}`.trimEnd();
    },
  };
}

async function preview([specFile, eventsFile, extra], flags) {
  if (!specFile || !eventsFile || extra) usage("preview needs SPEC and EVENTS");
  const format = formatOf(flags, ["table", "json", "ndjson"]);
  const sub = compile(specFile, flags);
  let size = 0;
  if (eventsFile !== "-") {
    try {
      const stat = statSync(eventsFile);
      // A named pipe or a device has no size to go by.
      size = stat.isFile() ? stat.size : 0;
    } catch (e) {
      throw new InputError(`cannot read ${eventsFile}: ${e.code || e.message}`);
    }
  }
  // A progress bar on stderr for long previews, only when a person watches
  // and the rows are not written to the same screen.
  const bar = process.stderr.isTTY && size > 8 << 20 && (flags.summary || !process.stdout.isTTY);
  // The rows are written as the package decides them (onRows), each batch
  // before the next chunk is read: the first row appears at once, and what
  // the CLI holds is one chunk's rows, not the input's.
  const out = new Output();
  const layout = tableLayout(size);
  let firstRow = true;
  // The table and NDJSON print each unreadable event as its row, so they
  // count them from the rows and have the package keep no error list (a
  // file of bad lines would otherwise be held whole); JSON and the summary
  // print the errors, so they keep every one.
  const errorsFromRows = !flags.summary && format !== "json";
  let errorRows = 0;
  // The package hands the rows over and keeps no list of matches (each row
  // says whether it matched); only JSON prints that list, so only it
  // gathers one.
  const matches = [];
  const onRows = flags.summary
    ? undefined
    : (rows) => {
        for (const row of rows) {
          if (row.code) errorRows++;
          if (format === "json" && row.matched) matches.push(row.index);
          if (flags.matched && !row.matched) continue;
          if (format === "table") out.line(layout.row(row));
          else if (format === "ndjson") out.line(JSON.stringify(row));
          else {
            out.write(firstRow ? JSON.stringify(row) : `,${JSON.stringify(row)}`);
            firstRow = false;
          }
        }
        return out.flush();
      };
  if (!flags.summary) {
    if (format === "table") out.line(layout.header);
    // The whole result as one object, its rows first: `results` is written
    // as they come, the counts (known at the end) after them.
    else if (format === "json") out.write('{"results":[');
  }
  let result;
  try {
    result = await sub.previewStream(streamOf(eventsFile), {
      onRows,
      maxErrors: errorsFromRows ? 0 : Number.MAX_SAFE_INTEGER,
      onProgress: bar
        ? ({ bytes, events }) => {
            const pct = size ? Math.min(100, Math.floor((bytes / size) * 100)) : 100;
            const filled = Math.floor(pct / 4);
            process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(25 - filled)}] ${pct}% ${events} events`);
          }
        : undefined,
    });
  } catch (e) {
    if (e && e.name !== "HookmatchError" && e.code) throw new InputError(`cannot read ${eventsFile}: ${e.code}`);
    throw e;
  } finally {
    if (bar) process.stderr.write("\n");
    sub.free();
  }
  const summary = { total: result.total, matched: result.matched, errors: errorsFromRows ? errorRows : result.errors.length };
  if (flags.summary) {
    out.line(format === "table" ? summaryLine(summary) : JSON.stringify(summary));
  } else if (format === "json") {
    const { total, matched, errors, ...more } = result;
    out.line(`],${JSON.stringify({ total, matched, matches, errors, ...more }).slice(1)}`);
  } else if (format === "table") {
    out.line(summaryLine(summary));
  }
  await out.flush();
}

/**
 * Standard output, buffered: lines are gathered and written in one call
 * per batch, and a flush waits while the reader is behind (a pipe to a slow
 * consumer), so nothing piles up in memory.
 */
class Output {
  buffer = "";
  write(text) {
    this.buffer += text;
  }
  line(text) {
    this.buffer += `${text}\n`;
  }
  async flush() {
    if (this.buffer === "") return;
    const text = this.buffer;
    this.buffer = "";
    if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once("drain", r));
  }
}

function summaryLine({ total, matched, errors }) {
  return `${matched} of ${total} events matched; ${errors} could not be read`;
}

async function validateCmd([specFile, extra], flags) {
  if (!specFile || extra) usage("validate needs one SPEC");
  const format = formatOf(flags, ["table", "json"]);
  const text = new TextDecoder().decode(readInput(specFile));
  const diagnostics = validate(text, compileOptions(flags));
  if (format === "json") await writeLines([JSON.stringify(diagnostics, null, 2)]);
  else if (diagnostics.length === 0) await writeLines(["valid"]);
  else await writeLines(diagnostics.map((d) => `${d.severity} ${d.code}${d.path ? ` at ${d.path}` : ""}: ${d.message}`));
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

async function deliverCmd([specFile, eventFile, extra], flags) {
  const noEvent = flags.test || flags.handshake || flags.heartbeat;
  if (!specFile || extra || (!eventFile && !noEvent)) usage("deliver needs SPEC and EVENT (or --test, --handshake or --heartbeat)");
  const format = formatOf(flags, ["json", "curl"], "json");
  const secret = secretOf(flags);
  const sub = compile(specFile, flags);
  try {
    const event = eventFile ? readInput(eventFile) : null;
    const options = {};
    for (const key of ["signature", "timestamp", "test", "handshake", "heartbeat"]) {
      if (flags[key] !== undefined) options[key] = flags[key];
    }
    if (secret !== undefined) options.secret = secret;
    const delivery = sub.deliver(event, options);
    if (delivery !== null && format === "curl") await writeLines([curlCommand(delivery, flags.reveal)]);
    else await writeLines([JSON.stringify(shown(delivery, flags.reveal), null, 2)]);
    if (delivery === null && event !== null) {
      // The reason is the core's: the one preview gives this event.
      const row = sub.preview(event, { details: true }).results[0];
      process.stderr.write(`hookmatch: nothing is delivered: ${row ? row.reason : "the event is empty"}\n`);
    }
  } finally {
    sub.free();
  }
  return 0;
}

/** A delivery as printed: the places its `secrets` lists masked, unless revealed. */
function shown(delivery, reveal) {
  if (delivery === null || reveal) return delivery;
  const { url, headers } = maskDelivery(delivery);
  return { ...delivery, url, headers: Object.fromEntries(headers) };
}

function diagnosticLine(d) {
  return `${d.severity} ${d.code}${d.path ? ` at ${d.path}` : ""}: ${d.message}`;
}

function specText(file) {
  return new TextDecoder().decode(readInput(file));
}

function dialectOption(flags) {
  return compileOptions(flags);
}

/**
 * The spec files `names` give: a file as given, a directory searched for
 * *.json files (not in hidden folders such as .git, nor in node_modules),
 * each file once, in a stable order.
 */
function specFiles(names) {
  const files = [];
  const seen = new Set();
  const add = (file) => {
    const key = file === "-" ? "-" : resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  const unreadable = (name, e) => new InputError(`cannot read ${name}: ${e.code || e.message}`);
  for (const name of names) {
    if (name === "-") {
      add(name);
      continue;
    }
    let stat;
    try {
      stat = statSync(name);
    } catch (e) {
      throw unreadable(name, e);
    }
    if (!stat.isDirectory()) {
      add(name);
      continue;
    }
    const found = [];
    const walk = (dir) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        throw unreadable(dir, e);
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
        const path = join(dir, entry.name);
        // A link to a directory is not followed (it may loop back).
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(".json") && (entry.isFile() || entry.isSymbolicLink())) found.push(path);
      }
    };
    walk(name);
    if (found.length === 0) throw new InputError(`${name} holds no .json file`);
    for (const file of found) add(file);
  }
  return files;
}

/**
 * A file's name as CI tools resolve it: relative to the working directory
 * (GitHub resolves annotations and SARIF locations against the checkout,
 * where the job runs) with forward slashes, or absolute when outside it.
 */
function displayName(file) {
  if (file === "-") return file;
  const rel = relative(process.cwd(), resolve(file));
  const name = rel === "" || rel.startsWith("..") || isAbsolute(rel) ? resolve(file) : rel;
  return name.split(sep).join("/");
}

/**
 * Where the value a JSON Pointer names sits in a document's text: its start
 * and end offsets. The diagnostics say where by pointer; editors and CI say
 * where by line and column, so the pointer is walked through the text
 * itself. A member given twice is the last one (as the parser keeps it);
 * where the pointer names something absent (a missing field), the nearest
 * enclosing value that is there.
 */
function valueSpan(text, pointer) {
  const tokens = pointer ? pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~")) : [];
  const ws = (i) => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
    return i;
  };
  const stringEnd = (i) => {
    for (i++; i < text.length; i++) {
      if (text[i] === "\\") i++;
      else if (text[i] === '"') return i + 1;
    }
    return text.length;
  };
  const valueEnd = (i) => {
    if (text[i] === '"') return stringEnd(i);
    if (text[i] === "{" || text[i] === "[") {
      let depth = 0;
      for (; i < text.length; i++) {
        const c = text[i];
        if (c === '"') i = stringEnd(i) - 1;
        else if (c === "{" || c === "[") depth++;
        else if ((c === "}" || c === "]") && --depth === 0) return i + 1;
      }
      return text.length;
    }
    while (i < text.length && !",]} \t\r\n".includes(text[i])) i++;
    return i;
  };
  // The members or elements of the container at `i`: [key or index, start, end].
  function* children(i) {
    const object = text[i] === "{";
    let j = ws(i + 1);
    for (let n = 0; j < text.length && text[j] !== (object ? "}" : "]"); n++) {
      let key = n;
      if (object) {
        if (text[j] !== '"') return;
        const keyEnd = stringEnd(j);
        try {
          key = JSON.parse(text.slice(j, keyEnd));
        } catch {
          return;
        }
        j = ws(keyEnd);
        if (text[j] !== ":") return;
        j = ws(j + 1);
      }
      const end = valueEnd(j);
      yield [String(key), j, end];
      j = ws(end);
      if (text[j] !== ",") return;
      j = ws(j + 1);
    }
  }
  let start = ws(0);
  let end = valueEnd(start);
  for (const token of tokens) {
    if (text[start] !== "{" && text[start] !== "[") break;
    let found = null;
    for (const [key, s, e] of children(start)) {
      if (key === token) found = [s, e];
    }
    if (found === null) break;
    [start, end] = found;
  }
  return { start, end };
}

/** The 1-based line and column (in UTF-16 code units, as SARIF's default columnKind counts) of an offset. */
function lineColumn(text, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where a diagnostic points in its file: `invalid_json` says so itself, the others by their path. */
function regionOf(text, d) {
  if (d.code === "invalid_json" && d.line !== undefined) {
    // The parser counts a column in UTF-8 bytes; the region counts UTF-16
    // code units, as the other positions do.
    const lineText = text.split("\n")[d.line - 1] ?? "";
    const bytes = new TextEncoder().encode(lineText).subarray(0, Math.max(0, (d.column ?? 1) - 1));
    const at = { line: d.line, column: new TextDecoder().decode(bytes).length + 1 };
    return { start: at, end: at };
  }
  const { start, end } = valueSpan(text, d.path ?? "");
  return { start: lineColumn(text, start), end: lineColumn(text, end) };
}

/** What makes `lint` exit 1: an error, or a subscription that can never fire. */
function failsCheck(d) {
  return d.severity === "error" || d.code === "never_matches";
}

/**
 * The findings across the files (`duplicate_subscription`,
 * `overlapping_delivery`): the files that compile, as a set, each under its
 * name, linted by the package. What the set adds to a file's own
 * diagnostics is appended to them.
 */
function addSetFindings(files, options) {
  const members = files.filter((f) => !f.diagnostics.some((d) => d.severity === "error"));
  if (members.length < 2) return;
  const key = (d) => `${d.code}\u0000${d.path}\u0000${d.message}`;
  const set = SubscriptionSet.compile([]);
  try {
    const byId = new Map();
    for (const f of members) {
      try {
        set.add(f.name, f.text, options);
        byId.set(f.name, f);
      } catch {
        // Its own diagnostics already say why it does not compile.
      }
    }
    for (const { id, diagnostics } of set.lint()) {
      const f = byId.get(id);
      if (!f) continue;
      const own = new Set(f.diagnostics.map(key));
      for (const d of diagnostics) if (!own.has(key(d))) f.diagnostics.push(d);
    }
  } finally {
    set.free();
  }
}

/** GitHub Actions workflow-command escaping (actions/toolkit's command.ts). */
const escapeData = (s) => String(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function githubLine({ file, d, region }) {
  const props = [];
  if (file !== "-") props.push(`file=${escapeProperty(file)}`);
  props.push(`line=${region.start.line}`, `col=${region.start.column}`);
  // A column range only within one line (GitHub ignores columns on an
  // annotation whose lines differ): a value written over several lines is
  // marked where it starts. endColumn is the value's last column, inclusive.
  if (region.end.line === region.start.line && region.end.column > region.start.column + 1) {
    props.push(`endColumn=${region.end.column - 1}`);
  }
  props.push(`title=${escapeProperty(`hookmatch ${d.code}`)}`);
  const message = d.path ? `${d.path}: ${d.message}` : d.message;
  return `::${failsCheck(d) ? "error" : "warning"} ${props.join(",")}::${escapeData(message)}`;
}

/** An artifact's location in SARIF: a relative URI reference (resolved against the checkout), or a file: URI. */
function sarifArtifact(file) {
  if (file.startsWith("/") || /^[A-Za-z]:\//.test(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}

/** SARIF 2.1.0 (OASIS), as GitHub code scanning reads it: one run, a rule per code found. */
function sarifLog(findings) {
  const rules = [];
  const ruleIndex = new Map();
  const results = findings.map(({ file, d, region }) => {
    const level = failsCheck(d) ? "error" : "warning";
    if (!ruleIndex.has(d.code)) {
      ruleIndex.set(d.code, rules.length);
      rules.push({
        id: d.code,
        name: d.code.replace(/(^|_)(\w)/g, (_, __, c) => c.toUpperCase()),
        shortDescription: { text: `hookmatch ${d.code.replace(/_/g, " ")}` },
        defaultConfiguration: { level },
      });
    }
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code),
      level,
      message: { text: d.path ? `${d.path}: ${d.message}` : d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: sarifArtifact(file),
            region: {
              startLine: region.start.line,
              startColumn: region.start.column,
              endLine: region.end.line,
              endColumn: region.end.column,
            },
          },
        },
      ],
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "hookmatch", version: version(), informationUri: "https://www.npmjs.com/package/hookmatch", rules } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

async function lintCmd(names, flags) {
  if (names.length === 0) usage("lint needs a SPEC: a file, a directory of .json files, or -");
  const format = formatOf(flags, ["table", "json", "github", "sarif"]);
  const options = dialectOption(flags);
  const files = specFiles(names).map((file) => {
    const text = specText(file);
    return { name: displayName(file), text, diagnostics: lint(text, options) };
  });
  addSetFindings(files, options);
  const findings = files.flatMap((f) => f.diagnostics.map((d) => ({ file: f.name, d, region: regionOf(f.text, d) })));
  const fails = findings.some(({ d }) => failsCheck(d));
  // One file named as before prints as before; several are told apart by name.
  const one = names.length === 1 && files.length === 1 && !(names[0] !== "-" && statSync(names[0]).isDirectory());
  const errors = findings.filter(({ d }) => d.severity === "error").length;
  const tally = `hookmatch lint: ${files.length} ${files.length === 1 ? "file" : "files"}, ${errors} ${errors === 1 ? "error" : "errors"}, ${findings.length - errors} ${findings.length - errors === 1 ? "warning" : "warnings"}`;
  if (format === "json") {
    await writeLines([JSON.stringify(findings.map(({ file, d, region }) => ({ ...d, file, line: region.start.line, column: region.start.column })), null, 2)]);
  } else if (format === "sarif") {
    await writeLines([JSON.stringify(sarifLog(findings), null, 2)]);
  } else if (format === "github") {
    await writeLines([...findings.map(githubLine), tally]);
  } else if (one) {
    await writeLines(findings.length === 0 ? ["no findings"] : findings.map(({ d }) => diagnosticLine(d)));
  } else {
    await writeLines([...findings.map(({ file, d, region }) => `${file}:${region.start.line}:${region.start.column}: ${diagnosticLine(d)}`), tally]);
  }
  return fails ? 1 : 0;
}

async function diffCmd([before, after, eventsFile, extra], flags) {
  if (!before || !after || extra) usage("diff needs BEFORE and AFTER (and optionally EVENTS)");
  const format = formatOf(flags, ["table", "json"]);
  const options = dialectOption(flags);
  if (eventsFile) options.events = specText(eventsFile);
  const result = diff(specText(before), specText(after), options);
  if (format === "json") {
    await writeLines([JSON.stringify(result, null, 2)]);
    return 0;
  }
  const lines = [`relation: ${result.relation}`];
  for (const e of result.gained) lines.push(`gained (fires after, not before): ${JSON.stringify(e)}`);
  for (const e of result.lost) lines.push(`lost (fired before, not after): ${JSON.stringify(e)}`);
  if (result.events) {
    const ev = result.events;
    lines.push(`events: ${ev.gained.length} gained, ${ev.lost.length} lost, ${ev.both} both, ${ev.neither} neither, ${ev.errors.length} could not be read`);
    if (ev.gained.length) lines.push(`gained: ${ev.gained.join(", ")}`);
    if (ev.lost.length) lines.push(`lost: ${ev.lost.join(", ")}`);
  }
  await writeLines(lines);
  return 0;
}

async function exampleCmd([specFile, extra], flags) {
  if (!specFile || extra) usage("example needs one SPEC");
  const sub = compile(specFile, flags);
  try {
    const options = {};
    if (flags.fail !== undefined) options.fail = flags.fail;
    if (flags.base !== undefined) {
      const text = specText(flags.base);
      try {
        options.base = JSON.parse(text);
      } catch (e) {
        throw new InputError(`--base ${flags.base} is not JSON: ${e.message}`);
      }
    }
    const event = sub.example(options);
    await writeLines([JSON.stringify(event, null, 2)]);
    if (event === null) {
      process.stderr.write(`hookmatch: no event ${flags.fail !== undefined ? "fails that filter and passes the rest" : "fires this subscription"}; hookmatch lint says why\n`);
      return 1;
    }
    return 0;
  } finally {
    sub.free();
  }
}

async function main(argv) {
  let [command, ...rest] = argv;
  if (command === "help") [command, ...rest] = [rest[0], "--help"];
  if (command === "-V" || command === "--version") {
    await writeLines([version()]);
    return 0;
  }
  if (command === undefined || command === "-h" || command === "--help") {
    if (command === undefined) {
      process.stderr.write(`${HELP.main}\n`);
      return 2;
    }
    await writeLines([HELP.main]);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) usage(`unknown command ${command}; the commands are ${Object.keys(COMMANDS).join(", ")}`);
  const { positional, flags } = parseArgs(rest);
  if (flags.help) {
    await writeLines([HELP[command]]);
    return 0;
  }
  return (await run(positional, flags)) ?? 0;
}

let code;
try {
  code = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`hookmatch: ${e.message}\nRun hookmatch --help for usage.\n`);
    code = 2;
  } else if (e && e.name === "HookmatchError" && e.code === "unknown_dialect" && e.path === "/dialect") {
    // The package refused the --dialect option's value: a usage error.
    process.stderr.write(`hookmatch: --dialect: ${e.message}\n`);
    code = 2;
  } else if (e && e.name === "HookmatchError") {
    process.stderr.write(`${describe(e)}\n`);
    code = 1;
  } else if (e instanceof InputError) {
    process.stderr.write(`hookmatch: ${e.message}\n`);
    code = 1;
  } else {
    throw e;
  }
}
process.exitCode = code;
