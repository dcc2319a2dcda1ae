// Every code example of the READMEs and docs/api.md, compiled under
// TypeScript `strict` as a user would copy it, against the installed
// package (node_modules/hookmatch, from the tarball): ```js and ```ts blocks
// as TypeScript modules (.mts; a block that `require`s is checked as
// CommonJS JavaScript, .cjs), ```tsx with React 19's types. A failure names
// the document, line and column. Then the elements' TSX (React, Preact) and
// the typed-spec checks of types.ts run in the same compiler pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
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

function extension(block) {
  if (block.lang === "tsx") return "tsx";
  if (block.lang === "ts") return "mts";
  return /\brequire\(/.test(block.code) ? "cjs" : "mts";
}

test("every js, ts and tsx example of the READMEs and docs/api.md compiles under strict", () => {
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
    files: [...where.keys(), "../elements.tsx", "../elements-preact.tsx"],
  };
  writeFileSync(new URL("tsconfig.json", dir), JSON.stringify(config, null, 2));
  try {
    const tsc = fileURLToPath(new URL("node_modules/typescript/bin/tsc", root));
    const r = spawnSync(process.execPath, [tsc, "-p", fileURLToPath(new URL("tsconfig.json", dir))], {
      encoding: "utf8",
    });
    // tsc names the scratch file; say where the example is instead.
    const report = r.stdout.replace(/^\S*?(example-\d+\.\w+)\((\d+),(\d+)\)/gm, (all, file, line, column) => {
      const [name, first] = where.get(file);
      return `${name}:${first + Number(line) - 1}:${column}`;
    });
    assert.equal(r.status, 0, `examples that do not compile:\n${report}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
