// A/B of package builds in one process, against the plain JS a user writes:
//
//   node bench/ab.mjs [--chromium] [--entry | --require] [--runs 5] [--cases text,object,set,preview] old=DIR new=DIR ...
//
// Each DIR is a built package (a copy of pkg/, e.g. target/ab/old made
// before a change). A name starting with "raw" loads the bare wasm-bindgen
// glue without runtime.js (no trap guard, no objects.js). Every run is a
// fresh process (or page) holding all builds, whose calls alternate in many
// short batches; per run the 10th percentile of the batches is kept (the
// ones no other process on this shared machine interrupted), and the
// median over runs is printed with each build's ratio over JS
// (docs/performance.md, "Speed round").
import { readFileSync, existsSync } from "node:fs";
import { cp, mkdtemp, copyFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL, fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const [v] = argv.splice(i, 2).slice(1);
  return v;
};
const child = argv.includes("--child") && argv.splice(argv.indexOf("--child"), 1);
const chromium = argv.includes("--chromium") && argv.splice(argv.indexOf("--chromium"), 1);
const runs = Number(flag("--runs", "5"));
// --entry: each build through its entry as the package ships it (node.js;
// in Chromium its files served as they are and browser.js imported), instead
// of its glue and runtime.js put together here.
const entry = argv.includes("--entry") && argv.splice(argv.indexOf("--entry"), 1);
// --require (Node): each build through its CommonJS entry, cjs/index.js.
const viaRequire = argv.includes("--require") && argv.splice(argv.indexOf("--require"), 1);
const which = flag("--cases", "text,object,set,preview").split(",");
const builds = argv.map((a) => {
  const [name, dir] = a.split("=");
  return { name, dir: resolve(dir) };
});
const here = fileURLToPath(new URL(".", import.meta.url));

/** One run in this Node process: the results as JSON on stdout. */
async function nodeRun() {
  const { run } = await import("./ab-cases.mjs");
  const apis = {};
  for (const { name, dir } of builds) {
    const url = pathToFileURL(dir + "/").href;
    if (entry) {
      apis[name] = await import(url + "node.js");
      continue;
    }
    if (viaRequire) {
      apis[name] = createRequire(import.meta.url)(join(dir, "cjs", "index.js"));
      continue;
    }
    const glue = await import(url + "hookmatch.js");
    glue.initSync({ module: readFileSync(new URL("hookmatch_bg.wasm", url)) });
    apis[name] = name.startsWith("raw") ? glue : (await import(url + "runtime.js")).install(glue);
  }
  console.log(JSON.stringify(run(apis, which)));
}

/** One run in a fresh headless Chromium page (the browser entry's module where the package has one). */
async function chromiumRun() {
  const { build } = await import("esbuild");
  const { pageResults } = await import("./page.mjs");
  const out = await mkdtemp(join(tmpdir(), "hookmatch-ab-"));
  let src = `import { run } from ${JSON.stringify(join(here, "ab-cases.mjs"))};\nconst apis = {};\n`;
  for (const [i, { name, dir }] of builds.entries()) {
    if (entry) {
      // The build's files as they are, its browser entry imported by URL.
      await cp(dir, join(out, `b${i}`), { recursive: true, dereference: true });
      // Through a variable, so that esbuild leaves the import to the page.
      src += `const url${i} = ${JSON.stringify(`./b${i}/browser.js`)};\napis[${JSON.stringify(name)}] = await import(url${i});\n`;
      continue;
    }
    const stem = existsSync(join(dir, "hookmatch_core.js")) ? "hookmatch_core" : "hookmatch";
    await copyFile(join(dir, `${stem}_bg.wasm`), join(out, `w${i}.wasm`));
    src += `import init${i}, * as g${i} from ${JSON.stringify(join(dir, stem + ".js"))};\n`;
    // A raw build is the bare glue (no runtime.js: builds from before it).
    if (!name.startsWith("raw")) src += `import { install as in${i} } from ${JSON.stringify(join(dir, "runtime.js"))};\n`;
    src += `await init${i}({ module_or_path: "./w${i}.wasm" });\napis[${JSON.stringify(name)}] = ${name.startsWith("raw") ? `g${i}` : `in${i}(g${i})`};\n`;
  }
  src += `try { window.results = { ok: true, r: run(apis, ${JSON.stringify(which)}) }; } catch (e) { window.results = { ok: false, error: String((e && e.stack) || e) }; }\n`;
  await build({ stdin: { contents: src, resolveDir: out }, bundle: true, format: "esm", platform: "browser", outfile: join(out, "ab.js"), logLevel: "warning" });
  return pageResults(out, "ab.js", 1_800_000);
}

if (child) {
  await nodeRun();
} else {
  const all = [];
  for (let i = 0; i < runs; i++) {
    if (chromium) all.push(await chromiumRun());
    else {
      const out = execFileSync(process.execPath, [join(here, "ab.mjs"), "--child", ...(entry ? ["--entry"] : []), ...(viaRequire ? ["--require"] : []), "--cases", which.join(","), ...argv], { encoding: "utf8", maxBuffer: 1 << 26 });
      all.push(JSON.parse(out.trim().split("\n").pop()));
    }
  }
  const med = (xs) => {
    const s = xs.filter((x) => x > 0).sort((a, b) => a - b);
    return s[Math.floor((s.length - 1) / 2)];
  };
  const runtime = chromium ? "chromium" : "node";
  for (const group of Object.keys(all[0])) {
    const g = all[0][group];
    if (!Array.isArray(g)) {
      const mbps = Object.keys(g.mbps).map((k) => `${k} ${Math.round(med(all.map((r) => r[group].mbps[k])))} MiB/s`);
      console.log(`${runtime} ${group} | ${mbps.join(", ")}`);
      continue;
    }
    g.forEach((row, j) => {
      const m = Object.fromEntries(Object.keys(row).filter((k) => k !== "case").map((k) => [k, med(all.map((r) => r[group][j][k]))]));
      const parts = Object.entries(m).map(([k, v]) => `${k} ${Math.round(v)} ns${m.js && k !== "js" ? ` (${(m.js / v).toFixed(2)}×)` : ""}`);
      console.log(`${runtime} ${group} ${row.case} | ${parts.join(", ")}`);
    });
  }
}
