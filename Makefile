# hookmatch — every set-up step lives here or in scripts/tools.sh, so a fresh
# machine needs only `make preview` or `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

DIALECT ?= workfront
SUB ?= samples/$(DIALECT)/subscription.json
EVENTS ?= samples/$(DIALECT)/events.ndjson
NODE_TESTS := $(wildcard tests/js/*.test.mjs tests/js/*.test.cjs)

.PHONY: help tools pkg tarball preview test bench-summary bench-stream test-native test-wasm test-js test-browser test-soak soak fuzz lint clean bench www serve

help:
	@echo "make preview   evaluate samples/$(DIALECT) (or SUB=… EVENTS=…) and print a table"
	@echo "make test      every test: native Rust, wasm in Node and Chromium, JS against pkg/, browsers, runtimes, soak"
	@echo "make pkg       build the npm package into pkg/ and print the .wasm size"
	@echo "make www|serve build / serve the playground on 127.0.0.1:8080"
	@echo "make bench     benchmarks in Node and headless Chromium (README, Speed)"
	@echo "make bench-summary [RUNS=N]  medians and ranges of the last N bench runs (default 5)"
	@echo "make soak      1,000,000 mixed calls; make fuzz FUZZ_SECONDS=N: every fuzz target"

tools:
	@scripts/tools.sh build

pkg: tools
	@scripts/build-pkg.sh

preview: pkg
	@node pkg/bin/hookmatch.js preview "$(SUB)" "$(EVENTS)"

test: test-native test-wasm test-js test-browser test-soak
	@echo "make test: all suites passed"

test-native:
	cargo test --quiet

# wasm-bindgen-test in Node, then in headless Chromium through Debian's chromedriver.
test-wasm: tools
	@scripts/tools.sh browser
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test --target wasm32-unknown-unknown --test wasm
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
	  cargo test --target wasm32-unknown-unknown --test wasm

# The packed tarball, checked by `attw` and `publint`, installed as a user
# installs it (a copy in node_modules, not a link to pkg/). Every JS suite
# runs against it.
tarball: pkg
	@scripts/tools.sh node
	@rm -f target/hookmatch-*.tgz
	npm pack ./pkg --pack-destination target --loglevel=error >/dev/null
	npx --no-install attw --pack target/hookmatch-*.tgz
	npx --no-install publint run target/hookmatch-*.tgz --strict
	rm -rf node_modules/hookmatch
	npm install --no-save --no-audit --no-fund --loglevel=error ./target/hookmatch-*.tgz

test-js: tarball
	node --test $(NODE_TESTS)
	npx --no-install tsc -p tests/js/tsconfig.json
	npx --no-install tsc -p tests/js/tsconfig.browser.json

# The playground in Chromium (Playwright), and the package in every runtime:
# a browser bundle, workerd, Bun and Deno, all from their npm packages.
test-browser: www
	@scripts/tools.sh browser node
	node --test tests/browser/playground.test.mjs tests/runtimes/runtimes.test.mjs tests/elements/elements.test.mjs tests/bundlers/vite.test.mjs

# A shortened soak (100,000 mixed calls) in `make test`; `make soak` runs
# 1,000,000 and writes bench/results/soak-1000000.json.
test-soak: pkg
	node --expose-gc tests/soak/soak.mjs 100000

soak: pkg
	SOAK_REPORT=1 node --expose-gc tests/soak/soak.mjs 1000000

# Fuzzing (not part of `make test`): every target for FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# Formatting, clippy on both targets, and rustdoc without warnings.
lint: tools
	@scripts/tools.sh lint
	cargo fmt --all -- --check
	cargo clippy --quiet --all-targets -- -D warnings
	cargo clippy --quiet --target wasm32-unknown-unknown --lib -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps
	RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --target wasm32-unknown-unknown

clean:
	rm -rf pkg target node_modules

# Benchmarks (never part of `make test`): Node and headless Chromium side by side.
bench: tarball
	@scripts/tools.sh browser
	node bench/run.mjs

# The playground: a static page in www/dist, built with esbuild from the package.
www: tarball
	node www/build.mjs

serve: www
	node www/serve.mjs

# Peak memory of previewStream on a 1 GB NDJSON stream made on the fly.
bench-stream: tarball
	node --expose-gc bench/stream-memory.mjs 1

# Medians across runs: one run's absolute times move with the machine's slow
# stretches; bench/summary.mjs takes each ratio within its run.
RUNS ?= 5
bench-summary:
	@node bench/summary.mjs $(RUNS)
