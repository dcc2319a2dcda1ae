// Every code example of the READMEs and docs/api.md, compiled under
// TypeScript `strict` as a user would copy it, against the installed
// package (node_modules/hookmatch, from the tarball): ```js and ```ts blocks
// as TypeScript modules (.mts; a block that `require`s is checked as
// CommonJS JavaScript, .cjs), ```tsx with React 19's types. A failure names
// the document, line and column. The elements' TSX (React, Preact) and the
// conformance corpus's specs as typed literals compile in the same pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = new URL("../../", import.meta.url);
const documents = {
  "README.md": new URL("README.md", root),
  "pkg-template/README.md (as installed)": new URL("node_modules/hookmatch/README.md", root),
  "docs/api.md": new URL("docs/api.md", root),
};

/** The fenced blocks of a Markdown text with their language and first line (1-based). */
function codeBlocks(markdown) {
  const blocks = [];
  let open = null;
  markdown.split("\n").forEach((line, i) => {
    const fence = line.match(/^```(\w*)\s*$/);
    if (!fence) {
      if (open) open.lines.push(line);
      return;
    }
    if (open) {
      blocks.push({ lang: open.lang, line: open.line, code: open.lines.join("\n") + "\n" });
      open = null;
    } else {
      open = { lang: fence[1], line: i + 2, lines: [] };
    }
  });
  return blocks;
}

// The conformance corpus's specs as literals typed Spec: one the corpus
// expects no error for (its diagnostics, from the vendor's material) must
// compile, unless it expects unknown_field (a key the dialect ignores: the
// types refuse it); one it expects an error for that a type can see (a
// value outside a union, a missing or wrongly typed field) must not.
const TYPED_ERRORS = new Set(["unknown_comparison", "unknown_event_type", "unknown_connector", "unknown_state", "unknown_action", "unknown_filter_type", "invalid_type", "missing_field"]);
function corpus() {
  const lines = ['import type { Spec } from "hookmatch";'];
  const names = [];
  const dir = new URL("tests/conformance/", root);
  for (const vendor of readdirSync(dir)) {
    for (const file of readdirSync(new URL(`${vendor}/`, dir)).filter((f) => f.endsWith(".json"))) {
      for (const c of JSON.parse(readFileSync(new URL(`${vendor}/${file}`, dir), "utf8"))) {
        if (!c.spec || typeof c.spec !== "object" || Array.isArray(c.spec)) continue;
        const expected = c.expect?.diagnostics ?? [];
        const codes = expected.filter(([severity]) => severity === "error").map(([, code]) => code);
        if (expected.some(([, code]) => code === "unknown_field")) continue;
        const where = `tests/conformance/${vendor}/${file} "${c.name}"`;
        if (codes.length === 0) {
          names[lines.length] = where;
        } else if (codes.every((code) => TYPED_ERRORS.has(code))) {
          names[lines.length] = where;
          lines.push("// @ts-expect-error");
          names[lines.length] = where;
        } else continue;
        lines.push(`export const case${lines.length}: Spec = ${JSON.stringify(c.spec)};`);
      }
    }
  }
  return { code: lines.join("\n") + "\n", names };
}

function extension(block) {
  if (block.lang === "tsx") return "tsx";
  if (block.lang === "ts") return "mts";
  return /\brequire\(/.test(block.code) ? "cjs" : "mts";
}

test("every js, ts and tsx example of the READMEs and docs/api.md, and the corpus's specs as Spec literals, compile under strict", () => {
  const dir = new URL("tests/js/_examples/", root);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const where = new Map(); // file name -> [document, first line]
  let n = 0;
  for (const [name, url] of Object.entries(documents)) {
    for (const block of codeBlocks(readFileSync(url, "utf8"))) {
      if (!["js", "ts", "tsx"].includes(block.lang)) continue;
      const file = `example-${++n}.${extension(block)}`;
      writeFileSync(new URL(file, dir), block.code);
      where.set(file, [name, block.line]);
    }
  }
  assert.ok(n >= 6, `only ${n} examples found`);
  const specs = corpus();
  writeFileSync(new URL("corpus.mts", dir), specs.code);
  const config = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: "es2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      jsx: "react-jsx",
      allowJs: true,
      checkJs: true,
      skipLibCheck: false,
      types: ["node"],
      lib: ["esnext", "dom"],
    },
    files: [...where.keys(), "corpus.mts", "../elements.tsx", "../elements-preact.tsx"],
  };
  writeFileSync(new URL("tsconfig.json", dir), JSON.stringify(config, null, 2));
  try {
    const tsc = fileURLToPath(new URL("node_modules/typescript/bin/tsc", root));
    const r = spawnSync(process.execPath, [tsc, "-p", fileURLToPath(new URL("tsconfig.json", dir))], {
      encoding: "utf8",
    });
    // tsc names the scratch file; say where the example is instead.
    const report = r.stdout
      .replace(/^\S*?(example-\d+\.\w+)\((\d+),(\d+)\)/gm, (all, file, line, column) => {
        const [name, first] = where.get(file);
        return `${name}:${first + Number(line) - 1}:${column}`;
      })
      .replace(/^\S*?corpus\.mts\((\d+),\d+\)/gm, (all, line) => `${specs.names[Number(line) - 1]} (as a Spec literal)`);
    assert.equal(r.status, 0, `examples that do not compile:\n${report}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
