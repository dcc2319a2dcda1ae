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
node_modules/.bin/wasm-opt -Oz pkg/hookmatch_bg.wasm -o pkg/hookmatch_bg.wasm.opt
mv pkg/hookmatch_bg.wasm.opt pkg/hookmatch_bg.wasm

cp -R pkg-template/. pkg/
chmod +x pkg/bin/hookmatch.js
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

size=$(stat -c %s pkg/hookmatch_bg.wasm)
gz=$(gzip -9 -c pkg/hookmatch_bg.wasm | wc -c)
glue=$(stat -c %s pkg/hookmatch.js)
gluegz=$(gzip -9 -c pkg/hookmatch.js | wc -c)
printf 'pkg: hookmatch_bg.wasm %d bytes (%d gzipped); JS glue %d bytes (%d gzipped); cargo output %d bytes\n' \
  "$size" "$gz" "$glue" "$gluegz" "$(stat -c %s "$raw")"
