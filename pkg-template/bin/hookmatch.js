#!/usr/bin/env node
// hookmatch CLI: preview, validate and deliver from a terminal, a pipe or CI.
// It reads files and writes answers; every rule (dialects, matching, the
// reasons it prints) comes from the package.
//
// Exit codes: 0 ran (whatever matched), 1 invalid spec or input, 2 usage.
import { createReadStream, readFileSync, statSync } from "node:fs";
import { Subscription, validate, lint, diff, dialects } from "../node.js";
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
  lint SPEC             diagnostics plus findings: filters that never match,
                        always pass, are redundant or written twice
  diff BEFORE AFTER [EVENTS]  what an edit gains and loses, with example events
  example SPEC          an event that fires the subscription (or fails a filter)

options:
  -V, --version         the version
  -h, --help            this help; hookmatch <command> --help for a command's

A file name of - reads standard input. Dialects: ${DIALECTS}.
Exit codes: 0 ran (whatever matched), 1 invalid spec or input, 2 usage.`,
  preview: `usage: hookmatch preview SPEC EVENTS [options]

Evaluate every event of EVENTS (NDJSON, a JSON array, or JSON documents one
after another) against the subscription in SPEC.

options:
  --format F         table (default), json (the whole result), or ndjson
                     (one row per line, written as it goes)
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

HELP.lint = `usage: hookmatch lint SPEC [options]

validate's diagnostics plus what the analysis proves: never_matches (no event
can fire it), always_passes, redundant_filter, duplicate_filter. Exits 1 when
there is an error or the subscription can never fire.

options:
  --format F         table (default) or json
  --json             the same as --format json
${COMMON}

examples:
  hookmatch lint sub.json
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

async function preview([specFile, eventsFile, extra], flags) {
  if (!specFile || !eventsFile || extra) usage("preview needs SPEC and EVENTS");
  const format = formatOf(flags, ["table", "json", "ndjson"]);
  const sub = compile(specFile, flags);
  let size = 0;
  if (eventsFile !== "-") {
    try {
      size = statSync(eventsFile).size;
    } catch (e) {
      throw new InputError(`cannot read ${eventsFile}: ${e.code || e.message}`);
    }
  }
  // A progress bar on stderr for long previews, only when a person watches.
  const bar = process.stderr.isTTY && size > 8 << 20;
  let result;
  try {
    result = await sub.previewStream(streamOf(eventsFile), {
      details: !flags.summary,
      // The CLI prints every row and counts every error: no cap.
      maxErrors: Number.MAX_SAFE_INTEGER,
      maxResults: Number.MAX_SAFE_INTEGER,
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
  const summary = { total: result.total, matched: result.matched, errors: result.errors.length };
  if (flags.summary) {
    if (format === "table") await writeLines([summaryLine(summary)]);
    else await writeLines([JSON.stringify(summary)]);
    return;
  }
  const rows = flags.matched ? result.results.filter((r) => r.matched) : result.results;
  if (format === "json") {
    await writeLines([JSON.stringify(flags.matched ? { ...result, results: rows } : result)]);
  } else if (format === "ndjson") {
    await writeLines(rows.map((r) => JSON.stringify(r)));
  } else {
    await writeLines(
      (function* table() {
        yield `${pad("#", 6)}${pad("line", 6)}${pad("result", 10)}reason`;
        for (const row of rows) {
          const status = row.code ? "error" : row.matched ? "matched" : "no";
          const reason = row.code ? `${row.code}: ${row.reason}` : row.reason;
          yield `${pad(row.index, 6)}${pad(row.line ?? "", 6)}${pad(status, 10)}${reason}`;
        }
        yield summaryLine(summary);
      })(),
    );
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

async function lintCmd([specFile, extra], flags) {
  if (!specFile || extra) usage("lint needs one SPEC");
  const format = formatOf(flags, ["table", "json"]);
  const diagnostics = lint(specText(specFile), dialectOption(flags));
  if (format === "json") await writeLines([JSON.stringify(diagnostics, null, 2)]);
  else if (diagnostics.length === 0) await writeLines(["no findings"]);
  else await writeLines(diagnostics.map(diagnosticLine));
  return diagnostics.some((d) => d.severity === "error" || d.code === "never_matches") ? 1 : 0;
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
