#!/usr/bin/env bash
# Build the npm package into pkg/: release wasm, wasm-bindgen (web target for
# ESM runtimes, nodejs target for require), wasm-opt, the template's files.
set -euo pipefail
cd "$(dirname "$0")/.."

# Two modules. The core one, without the analysis (Cargo.toml's `analysis`
# feature), is the browser entry's: a page that only validates and matches
# downloads none of the analysis. The full one is every other entry's, and
# the browser's `hookmatch/analysis` (docs/architecture.md). Cargo keeps each
# feature set's build apart, so switching between them rebuilds nothing.
#
# Both are built with std compiled alongside the crate, so that a panic is a
# bare trap and Debug formatting is empty: the module then holds no panic
# messages, locations or Debug impls (core module 211,441 -> 197,987 bytes
# gz, no call slower: docs/performance.md, "What changed"). Nothing a user
# sees changes: a trap was already `internal` (runtime.js), no message
# hookmatch builds uses `{:?}`, and the package's tests run on this build.
# `hookmatch_package` then builds what runs once per spec or call, not per
# event, for size (src/lib.rs): then 177,615 bytes gz, with options read
# by one copy of the code (src/options.rs).
# -Z build-std, these flags and that attribute are unstable; RUSTC_BOOTSTRAP=1
# unlocks them on the one stable toolchain, as scripts/fuzz.sh does for
# cargo-fuzz. It also makes rustc mangle names as nightly does (v0, longer
# export names in the glue), so the stable scheme is named. The flags go
# through --config, which cargo joins to .cargo/config.toml's (simd128)
# where RUSTFLAGS would replace them.
#
# std itself builds at level 3, as the prebuilt std is: built with the
# crate it took the profile's default, "z", and `preview` with `details`,
# which formats a message per event through core::fmt and grows strings
# through alloc, took 1.12-1.17x the time (107.5-113.8 ms for 20,000
# events, against 95.7-99.3 before std was built here; 96.6-100.0 at 3,
# for 565 bytes gz on the core module and 3.1 KB on the full one:
# docs/performance.md, "What changed"). Named here,
# not in Cargo.toml: without -Z build-std no package is called core, and
# cargo would warn about the override on every native build.
package_flags='["-Zunstable-options", "-Cpanic=immediate-abort", "-Zfmt-debug=none", "-Zlocation-detail=none", "-Csymbol-mangling-version=legacy", "--cfg", "hookmatch_package"]'
wasm_build() {
  RUSTC_BOOTSTRAP=1 cargo build --quiet --release --target wasm32-unknown-unknown \
    -Z build-std=std,panic_abort --config "target.wasm32-unknown-unknown.rustflags=$package_flags" \
    --config 'profile.release.package.core.opt-level=3' --config 'profile.release.package.alloc.opt-level=3' \
    --config 'profile.release.package.std.opt-level=3' "$@"
}
wasm_build --no-default-features
core=target/wasm32-unknown-unknown/release/hookmatch_core.wasm
cp target/wasm32-unknown-unknown/release/hookmatch.wasm "$core"
wasm_build
raw=target/wasm32-unknown-unknown/release/hookmatch.wasm

rm -rf pkg
wasm-bindgen "$raw" --target web --out-dir pkg --out-name hookmatch
wasm-bindgen "$core" --target web --out-dir pkg --out-name hookmatch_core
# Its declarations are hookmatch.d.ts (the same API; the analysis methods
# then need hookmatch/analysis).
rm -f pkg/hookmatch_core.d.ts
wasm-bindgen "$raw" --target nodejs --out-dir pkg/cjs --out-name hookmatch
printf '{ "type": "commonjs" }\n' > pkg/cjs/package.json
rm -f pkg/.gitignore pkg/cjs/.gitignore
# One .wasm in the package: the CommonJS glue moves beside it (hookmatch.cjs),
# so its own `${__dirname}/hookmatch_bg.wasm` is right both in the package
# and in a CommonJS bundle (esbuild --platform=node), where __dirname is the
# bundle's folder and the wasm is copied beside the bundle.
mv pkg/cjs/hookmatch.js pkg/hookmatch.cjs
rm -f pkg/cjs/hookmatch_bg.wasm pkg/cjs/hookmatch.d.ts pkg/cjs/hookmatch_bg.wasm.d.ts
grep -q '`${__dirname}/hookmatch_bg.wasm`' pkg/hookmatch.cjs
# Both glues get a private __restart (a fresh instance after a trap).
node scripts/restartable-glue.mjs

# npm's binaryen (pinned in package-lock.json): Debian's wasm-opt 108 turns
# the externref table that wasm-bindgen emits into a funcref one, and the
# module then fails to instantiate.
#
# -Oz twice: the second pass finds what the first one's inlining and
# merging opened up. --low-memory-unused lets binaryen fold a constant
# added to an address into the load's offset. The two differ only where
# the sum wraps past 4 GiB into the first kilobyte, and Rust computes such
# an address only from a stack pointer that went below zero (rustc puts the
# stack first: 0..1 MiB, data after it); folded, that access traps instead
# of writing into the stack's far end. Core module 177,615 -> 175,817 bytes
# gz, full 249,250 -> 247,051 (docs/performance.md, "What changed").
for wasm in pkg/hookmatch_bg.wasm pkg/hookmatch_core_bg.wasm; do
  node_modules/.bin/wasm-opt --low-memory-unused -Oz -Oz "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
done

cp -R pkg-template/. pkg/
chmod +x pkg/bin/hookmatch.js
# The browser's two entries and Node's, each one file: a module graph is
# loaded one level at a time, so nothing stands between importing hookmatch
# and its wasm (pkg-template/browser.js says why; docs/performance.md, "Cold
# start"). browser.js and node.js hold their glue, runtime.js and objects.js;
# analysis.js its glue, and imports browser.js for the runtime;
# analysis-node.js finds node.js's. The files stay as they are for the Deno
# and workerd entries, which import them. Rolldown, not esbuild: esbuild
# turns a bundle's top-level `const`s into `var`s, which V8 cannot take as
# constants, and the object walk then took 1.7-4.3% longer in Node (7 runs);
# rolldown keeps them, and the walk its time. --no-polyfillRequire keeps
# node.js's bare `require`, the fallback of a CommonJS bundle of it.
bundle_entry() {
  node_modules/.bin/rolldown pkg/$1.js --format esm --platform $2 --no-polyfillRequire \
    --external ./browser.js --file pkg/$1.bundled.js --logLevel warn \
    --banner "// hookmatch's $1 entry: pkg-template/$1.js with the modules it imports inlined (scripts/build-pkg.sh)." >/dev/null
  mv pkg/$1.bundled.js pkg/$1.js
}
bundle_entry browser browser
bundle_entry analysis browser
bundle_entry node node
node scripts/package-types.mjs

# The require entry: the nodejs glue with the same runtime as the ESM
# entries (runtime.js and objects.js bundled into CommonJS by esbuild: one
# source for both).
node_modules/.bin/esbuild pkg-template/runtime.js --bundle --format=cjs --platform=neutral \
  --log-level=warning --outfile=pkg/cjs/runtime.js
# hookmatch/elements for require too (bundlers resolving CommonJS).
node_modules/.bin/esbuild pkg-template/elements.js --format=cjs --platform=browser \
  --log-level=warning --outfile=pkg/cjs/elements.cjs
sed 's|"./hookmatch.js"|"./index.cjs"|' pkg-template/elements.d.ts > pkg/cjs/elements.d.cts
# hookmatch/analysis for require: the module there has the analysis already.
cat > pkg/cjs/analysis.cjs <<'JS'
// hookmatch/analysis (CommonJS): the main entry's module has the analysis
// already; the same functions, from the same runtime as ./index.js.
require("./index.js");
const { lint, diff, example, setLint } = require("./runtime.js");
module.exports = { lint, diff, example, setLint };
JS
sed 's|"./hookmatch.js"|"./index.cjs"|' pkg-template/analysis.d.ts > pkg/cjs/analysis.d.cts
cat > pkg/cjs/index.js <<'JS'
// CommonJS entry: the wasm-bindgen nodejs glue with the runtime every
// entry installs (see ../runtime.js).
const glue = require("../hookmatch.cjs");
// The same public names as ../api.js: the classes and the functions behind
// the trap guard, as runtime.js's install returns them.
const api = require("./runtime.js").install(glue);
const { Subscription, SubscriptionSet, validate, lint, diff, verify, dialects, encodeBase64, decodeBase64, setLimits, HookmatchError } = api;
module.exports = { Subscription, SubscriptionSet, validate, lint, diff, verify, dialects, encodeBase64, decodeBase64, setLimits, HookmatchError };
JS

for name in hookmatch hookmatch_core; do
  size=$(stat -c %s pkg/${name}_bg.wasm)
  gz=$(gzip -9 -c pkg/${name}_bg.wasm | wc -c)
  glue=$(stat -c %s pkg/$name.js)
  gluegz=$(gzip -9 -c pkg/$name.js | wc -c)
  printf 'pkg: %s_bg.wasm %d bytes (%d gzipped); JS glue %d bytes (%d gzipped)\n' \
    "$name" "$size" "$gz" "$glue" "$gluegz"
done
