#!/usr/bin/env bash
# Build the npm package into pkg/: release wasm, wasm-bindgen (web target for
# ESM runtimes, nodejs target for require), wasm-opt, the template's files.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --release --target wasm32-unknown-unknown
raw=target/wasm32-unknown-unknown/release/hookmatch.wasm

rm -rf pkg
wasm-bindgen "$raw" --target web --out-dir pkg --out-name hookmatch
wasm-bindgen "$raw" --target nodejs --out-dir pkg/cjs --out-name hookmatch
printf '{ "type": "commonjs" }\n' > pkg/cjs/package.json
rm -f pkg/.gitignore pkg/cjs/.gitignore

# npm's binaryen (pinned in package-lock.json): Debian's wasm-opt 108 turns
# the externref table that wasm-bindgen emits into a funcref one, and the
# module then fails to instantiate.
for wasm in pkg/hookmatch_bg.wasm pkg/cjs/hookmatch_bg.wasm; do
  node_modules/.bin/wasm-opt -Oz "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
done

cp -R pkg-template/. pkg/
chmod +x pkg/bin/hookmatch.js
# The .d.ts: wasm-bindgen's (the classes and functions), then the inputs'
# types and the outputs' (generated from the Rust types by a test).
for d in pkg pkg/cjs; do
  { cat "$d/hookmatch.d.ts"; echo; cat pkg-template/api.d.ts; echo; cat pkg-template/generated.d.ts; } > "$d/hookmatch.d.ts.new"
  mv "$d/hookmatch.d.ts.new" "$d/hookmatch.d.ts"
done
rm -f pkg/api.d.ts pkg/generated.d.ts

# The require entry: the nodejs glue with the same runtime as the ESM
# entries (runtime.js and objects.js bundled into CommonJS by esbuild: one
# source for both).
node_modules/.bin/esbuild pkg-template/runtime.js --bundle --format=cjs --platform=neutral \
  --log-level=warning --outfile=pkg/cjs/runtime.js
cat > pkg/cjs/index.js <<'JS'
// CommonJS entry: the wasm-bindgen nodejs glue with the runtime every
// entry installs (see ../runtime.js).
const glue = require("./hookmatch.js");
const { HookmatchError } = require("./runtime.js").install(glue);
module.exports = { ...glue, HookmatchError };
JS

size=$(stat -c %s pkg/hookmatch_bg.wasm)
gz=$(gzip -9 -c pkg/hookmatch_bg.wasm | wc -c)
glue=$(stat -c %s pkg/hookmatch.js)
gluegz=$(gzip -9 -c pkg/hookmatch.js | wc -c)
printf 'pkg: hookmatch_bg.wasm %d bytes (%d gzipped); JS glue %d bytes (%d gzipped); cargo output %d bytes\n' \
  "$size" "$gz" "$glue" "$gluegz" "$(stat -c %s "$raw")"
