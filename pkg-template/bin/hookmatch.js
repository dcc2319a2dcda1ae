#!/usr/bin/env node
// hookmatch CLI: preview, validate and deliver from a terminal or CI.
//
// Exit codes: 0 ran (whatever matched), 1 invalid spec or input, 2 usage.
import { createReadStream, readFileSync } from "node:fs";
import { Subscription, validate } from "../node.js";

const USAGE = `usage:
  hookmatch preview SPEC EVENTS [--dialect D] [--json]
  hookmatch validate SPEC [--dialect D] [--json]
  hookmatch deliver SPEC [EVENT] [--dialect D] [--secret S] [--signature standard-webhooks]
                   [--timestamp T] [--test | --handshake]
A file name of - reads standard input. Exit codes: 0 ran, 1 invalid spec or input, 2 usage.`;

function usage(message) {
  if (message) process.stderr.write(`hookmatch: ${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const positional = [];
  const flags = { json: false, dialect: undefined, deliver: {} };
  const value = (name, i) => {
    if (i + 1 >= argv.length) usage(`${name} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") flags.json = true;
    else if (a === "--dialect") {
      if (i + 1 >= argv.length) usage("--dialect needs a value");
      flags.dialect = argv[++i];
    } else if (a.startsWith("--dialect=")) flags.dialect = a.slice("--dialect=".length);
    else if (a === "--test") flags.deliver.test = true;
    else if (a === "--handshake") flags.deliver.handshake = true;
    else if (a === "--secret") flags.deliver.secret = value(a, i++);
    else if (a === "--signature") flags.deliver.signature = value(a, i++);
    else if (a === "--timestamp") {
      const t = Number(value(a, i++));
      if (!Number.isInteger(t) || t < 0) usage("--timestamp needs whole Unix seconds");
      flags.deliver.timestamp = t;
    }
    else if (a === "-h" || a === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a.startsWith("--")) usage(`unknown option ${a}`);
    else positional.push(a);
  }
  return { positional, flags };
}

let stdinUsed = false;
function readInput(name) {
  if (name === "-") {
    if (stdinUsed) usage("only one input can be read from standard input");
    stdinUsed = true;
    return readFileSync(0);
  }
  try {
    return readFileSync(name);
  } catch (e) {
    fail(`cannot read ${name}: ${e.code || e.message}`);
  }
}

function fail(message, err) {
  let text = `hookmatch: ${message}`;
  if (err && err.name === "HookmatchError") {
    text = `hookmatch: ${err.message} [${err.code}${err.path !== undefined ? ` at ${JSON.stringify(err.path)}` : ""}]`;
    for (const d of err.diagnostics || []) {
      text += `\n  ${d.severity} ${d.code} at ${JSON.stringify(d.path)}: ${d.message}`;
    }
  }
  process.stderr.write(`${text}\n`);
  process.exit(1);
}

function compile(specFile, flags) {
  const text = new TextDecoder().decode(readInput(specFile));
  try {
    return Subscription.compile(text, flags.dialect ? { dialect: flags.dialect } : undefined);
  } catch (e) {
    if (e && e.name === "HookmatchError") fail("invalid spec", e);
    throw e;
  }
}

function pad(s, n) {
  s = String(s);
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** A file (or standard input) as a stream of byte chunks. */
function streamOf(name) {
  if (name === "-") {
    if (stdinUsed) usage("only one input can be read from standard input");
    stdinUsed = true;
    return process.stdin;
  }
  return createReadStream(name);
}

async function preview([specFile, eventsFile], flags) {
  if (!specFile || !eventsFile) usage("preview needs SPEC and EVENTS");
  const sub = compile(specFile, flags);
  let size = 0;
  if (eventsFile !== "-") {
    try {
      size = (await import("node:fs")).statSync(eventsFile).size;
    } catch (e) {
      fail(`cannot read ${eventsFile}: ${e.code || e.message}`);
    }
  }
  // A progress bar on stderr for long previews, only when a person watches.
  const bar = process.stderr.isTTY && size > 8 << 20;
  let result;
  try {
    result = await sub.previewStream(streamOf(eventsFile), {
      details: true,
      onProgress: bar
        ? ({ bytes, events }) => {
            const pct = size ? Math.min(100, Math.floor((bytes / size) * 100)) : 100;
            const filled = Math.floor(pct / 4);
            process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(25 - filled)}] ${pct}% ${events} events`);
          }
        : undefined,
    });
  } catch (e) {
    if (e && e.name === "HookmatchError") fail("cannot read the events", e);
    if (e && e.code) fail(`cannot read ${eventsFile}: ${e.code}`);
    throw e;
  }
  if (bar) process.stderr.write("\n");
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const out = [];
    out.push(`${pad("#", 6)}${pad("line", 6)}${pad("result", 10)}reason`);
    for (const row of result.results) {
      const status = row.code ? "error" : row.matched ? "matched" : "no";
      const reason = row.code ? `${row.code}: ${row.reason}` : row.reason;
      out.push(`${pad(row.index, 6)}${pad(row.line ?? "", 6)}${pad(status, 10)}${reason}`);
    }
    out.push(`${result.matched} of ${result.total} events matched; ${result.errors.length} could not be read`);
    process.stdout.write(`${out.join("\n")}\n`);
  }
  sub.free();
}

function validateCmd([specFile], flags) {
  if (!specFile) usage("validate needs SPEC");
  const text = new TextDecoder().decode(readInput(specFile));
  let diagnostics;
  try {
    diagnostics = validate(text, flags.dialect ? { dialect: flags.dialect } : undefined);
  } catch (e) {
    if (e && e.name === "HookmatchError") fail("cannot validate", e);
    throw e;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(diagnostics, null, 2)}\n`);
  else if (diagnostics.length === 0) process.stdout.write("valid\n");
  else for (const d of diagnostics) process.stdout.write(`${d.severity} ${d.code} at ${JSON.stringify(d.path)}: ${d.message}\n`);
  process.exit(diagnostics.some((d) => d.severity === "error") ? 1 : 0);
}

function deliverCmd([specFile, eventFile], flags) {
  const noEvent = flags.deliver.test || flags.deliver.handshake;
  if (!specFile || (!eventFile && !noEvent)) usage("deliver needs SPEC and EVENT (or --test / --handshake)");
  const sub = compile(specFile, flags);
  const event = eventFile ? readInput(eventFile) : null;
  let delivery;
  try {
    delivery = sub.deliver(event, flags.deliver);
  } catch (e) {
    if (e && e.name === "HookmatchError") fail("cannot deliver", e);
    throw e;
  }
  process.stdout.write(`${JSON.stringify(delivery, null, 2)}\n`);
  sub.free();
}

const [command, ...rest] = process.argv.slice(2);
if (command === "-h" || command === "--help" || command === "help") {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const { positional, flags } = parseArgs(rest);
switch (command) {
  case "preview":
    await preview(positional, flags);
    break;
  case "validate":
    validateCmd(positional, flags);
    break;
  case "deliver":
    deliverCmd(positional, flags);
    break;
  case undefined:
    usage("no command");
    break;
  default:
    usage(`unknown command ${command}`);
}
