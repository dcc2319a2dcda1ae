// The README's quick starts, run as a user would copy them (ESM and
// CommonJS) against the installed package, with their printed comments
// checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";

// The repository's README and the one npm shows (in the installed tarball).
const readmes = {
  repository: readFileSync(new URL("../../README.md", import.meta.url), "utf8"),
  npm: readFileSync(new URL("../../node_modules/hookmatch/README.md", import.meta.url), "utf8"),
};

function block(readme, marker) {
  const at = readme.indexOf(`<!-- quickstart:${marker}`);
  assert.ok(at >= 0, `no quickstart:${marker}`);
  const start = readme.indexOf("\n", readme.indexOf("```", at)) + 1;
  return readme.slice(start, readme.indexOf("```", start));
}

// A TypeScript block runs as its JavaScript: types erased by TypeScript
// itself (tests/js/typescript.test.mjs compiles it).
async function erased(code) {
  const { default: ts } = await import("typescript");
  return ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
}

/**
 * What the block says it prints: the comment after each `console.log(…);`,
 * or on the line below it.
 */
function expected(code) {
  const lines = code.split("\n");
  const out = [];
  lines.forEach((l, i) => {
    if (!l.includes("console.log")) return;
    const said = l.match(/;\s*\/\/ (.*)$/)?.[1] ?? lines[i + 1]?.trim().match(/^\/\/ (.*)$/)?.[1];
    assert.ok(said !== undefined, `line ${i + 1} prints without saying what`);
    out.push(said.replace(/ — .*$/, ""));
  });
  return out;
}

function run(code, ext) {
  const file = new URL(`./_readme.${ext}`, import.meta.url);
  writeFileSync(file, code);
  try {
    const r = spawnSync(process.execPath, [file.pathname], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split("\n");
  } finally {
    rmSync(file);
  }
}

for (const [which, readme] of Object.entries(readmes)) {
  test(`the ${which} README says how to install`, () => {
    assert.match(readme, /npm i hookmatch/);
  });

  test(`the ${which} README's ESM quick start runs and prints what it says`, () => {
    const code = block(readme, "esm");
    const out = run(code, "mjs");
    assert.deepEqual(out.map((l) => l.trim()), expected(code));
  });

  test(`the ${which} README's CommonJS quick start runs and prints what it says`, () => {
    const code = block(readme, "cjs");
    assert.deepEqual(run(code, "cjs"), expected(code));
  });
}

test("the npm README's TypeScript example runs and prints what it says", async () => {
  const code = block(readmes.npm, "typescript");
  assert.deepEqual(run(await erased(code), "mjs").map((l) => l.trim()), expected(code));
});

test("the repository README's analysis example runs and prints what it says", () => {
  const code = block(readmes.repository, "analysis");
  assert.deepEqual(run(code, "mjs").map((l) => l.trim()), expected(code));
});

// Every export a user can import is named in the README npm shows, from
// every entry package.json exports (a new entry, such as hookmatch/analysis,
// is read as soon as it is there): a new export without a line there fails here.
test("the npm README names every entry and every export of each", async () => {
  const pkg = JSON.parse(readFileSync(new URL("../../node_modules/hookmatch/package.json", import.meta.url), "utf8"));
  const entries = Object.keys(pkg.exports).filter((e) => e !== "./package.json" && !e.endsWith(".wasm"));
  assert.ok(entries.includes(".") && entries.includes("./elements"), entries.join());
  const missing = [];
  for (const entry of entries) {
    const specifier = entry === "." ? "hookmatch" : `hookmatch/${entry.slice(2)}`;
    if (!readmes.npm.includes(specifier)) missing.push(specifier);
    const names = Object.keys(await import(specifier));
    assert.ok(names.length > 0, `${specifier} exports nothing`);
    for (const name of names) if (!new RegExp(`\\b${name}\\b`).test(readmes.npm)) missing.push(`${specifier}: ${name}`);
  }
  assert.deepEqual(missing, []);
});
