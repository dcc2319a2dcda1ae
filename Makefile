# hookmatch — every set-up step lives here or in scripts/tools.sh, so a fresh
# machine needs only `make preview` or `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

DIALECT ?= workfront
SUB ?= samples/$(DIALECT)/subscription.json
EVENTS ?= samples/$(DIALECT)/events.ndjson
NODE_TESTS := $(wildcard tests/js/*.test.mjs tests/js/*.test.cjs)

.PHONY: help tools pkg tarball api-docs preview test bench-summary bench-stream test-native test-wasm test-js test-browser test-soak soak fuzz mutants lint clean bench www serve

help:
	@echo "make preview   evaluate samples/$(DIALECT) (or SUB=… EVENTS=…) and print a table"
	@echo "make test      every test: native Rust, wasm in Node and Chromium, JS against pkg/, browsers, runtimes, soak"
	@echo "make pkg       build the npm package into pkg/ and print the .wasm size"
	@echo "make www|serve build / serve the playground on 127.0.0.1:8080"
	@echo "make bench     benchmarks in Node and headless Chromium (README, Speed)"
	@echo "make bench-summary [RUNS=N]  medians and ranges of the last N bench runs (default 5)"
	@echo "make soak      1,000,000 mixed calls; make fuzz FUZZ_SECONDS=N: every fuzz target"
	@echo "make mutants   cargo-mutants on signing, preview/read, analysis/values, delivery, eval, each vendor's deliver, the JSON reader and float parser (docs/reliability.md)"

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
	@# docs/api (TypeDoc, from the package's .d.ts) is what the types say today.
	rm -rf target/api-check
	npx --no-install typedoc --out target/api-check --logLevel Error
	diff -r target/api-check docs/api || { echo "docs/api is stale: run make api-docs" >&2; exit 1; }
	npx --no-install tsc -p tests/js/tsconfig.json
	npx --no-install tsc -p tests/js/tsconfig.browser.json

# The playground in Chromium (Playwright), and the package in every runtime
# and bundler a user has: browser and Node bundles (esbuild), workerd, Bun,
# Deno, Vite, webpack, Next.js and wrangler, all from their npm packages.
test-browser: www
	@scripts/tools.sh browser node
	node --test tests/browser/playground.test.mjs tests/runtimes/runtimes.test.mjs tests/elements/elements.test.mjs tests/bundlers/vite.test.mjs tests/bundlers/webpack.test.mjs tests/bundlers/next.test.mjs tests/bundlers/wrangler.test.mjs tests/bundlers/edge-router.test.mjs

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

# Mutation testing (not part of `make test`; figures in docs/reliability.md):
# one cargo-mutants run per file, each with the test binaries that exercise
# it, one job (2 cores), reports in target/mutants/<name>. cargo-mutants
# exits non-zero when a mutant survives; every run still goes on, and the
# survivors are printed at the end: each must be one docs/reliability.md
# lists with its reason, or a test is missing.
MUTANTS := cargo mutants -j 1 --timeout 120 --no-shuffle
# Each vendor's delivery: its `impl Deliver` and the helpers only it calls
# (bodies, signatures, URLs), not the rest of the vendor's file.
DELIVER_FILES := $(foreach v,asana kanboard ricloud rservice workfront,--file src/dialect/$(v).rs)
DELIVER_RE := Deliver for|Delivery::|signature|signed|url_with_token|event_url
mutants:
	@scripts/tools.sh mutants
	-$(MUTANTS) --file src/signing.rs --output target/mutants/signing -- --lib --test conformance
	-$(MUTANTS) --file src/preview/read.rs --output target/mutants/read -- --lib --test conformance --test chunking
	-$(MUTANTS) --file src/analysis/values.rs --output target/mutants/values -- --lib --test analysis
	-$(MUTANTS) --file src/delivery.rs --output target/mutants/delivery -- --lib --test conformance --test fixtures
	-$(MUTANTS) --file src/eval.rs --output target/mutants/eval -- --lib --test conformance --test fixtures --test properties --test set
	-$(MUTANTS) $(DELIVER_FILES) --re '$(DELIVER_RE)' --output target/mutants/deliver -- --lib --test conformance --test fixtures --test set_deliver
	-$(MUTANTS) --file src/json/parser.rs --file src/json/float.rs --output target/mutants/json -- --lib --test json_parser --test json_float
	@tail -n +1 target/mutants/*/mutants.out/missed.txt

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
	@# The edge router under wrangler dev, 10,000 members (about a minute).
	node bench/edge-router.mjs
	@# What the engines charge before hookmatch runs, beside the bounds (under a minute).
	node bench/floors.mjs --runs 3

# The API reference in docs/api, generated by TypeDoc from the package's .d.ts.
api-docs: pkg
	rm -rf docs/api
	npx --no-install typedoc

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
