#!/usr/bin/env bash
# `make fuzz FUZZ_SECONDS=N`: run every cargo-fuzz target for N seconds on this
# machine's one stable toolchain. cargo-fuzz needs nightly flags, which
# RUSTC_BOOTSTRAP=1 unlocks on stable; stable ships no sanitizer runtimes, so
# targets run with --sanitizer none (libFuzzer's coverage guidance still works,
# and Rust's own checks turn memory bugs into panics, which are crashes).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo install cargo-fuzz" >&2
  cargo install cargo-fuzz
fi
export RUSTC_BOOTSTRAP=1

# Corpora seeded from the fixtures (specs, events, golden deliveries).
seed() { mkdir -p "fuzz/corpus/$1"; shift; for f in "$@"; do cp -f "$f" "fuzz/corpus/${target}/$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")" 2>/dev/null || true; done; }
target=compile_spec; seed "$target" tests/fixtures/*/specs/*.json samples/*/subscription.json
target=evaluate_event; seed "$target" tests/fixtures/*/events/*.json
target=preview_ndjson; seed "$target" samples/*/events.ndjson tests/fixtures/*/events/*.json
target=deliver; seed "$target" tests/fixtures/*/events/*.json
target=project_event; seed "$target" tests/fixtures/*/events/*.json
target=analyze_spec; seed "$target" tests/fixtures/*/specs/*.json samples/*/subscription.json
mkdir -p fuzz/corpus/verify_delivery
printf 'secret\0t=1700000000,s=AAAA\0{"events":[]}' > fuzz/corpus/verify_delivery/ricloud
printf 'whsec_c2VjcmV0\0v1,AAAA v1,BBBB\0{}' > fuzz/corpus/verify_delivery/standard
mkdir -p fuzz/corpus/base64_decode
printf 'Zm9vYmFy' > fuzz/corpus/base64_decode/foobar
printf 'Zm9vYg==' > fuzz/corpus/base64_decode/foob
printf 'Zh==' > fuzz/corpus/base64_decode/noncanonical

mkdir -p fuzz/logs
summary=()
for t in ${FUZZ_TARGETS:-compile_spec evaluate_event preview_ndjson base64_decode deliver project_event analyze_spec verify_delivery}; do
  echo "fuzz: $t for ${seconds}s" >&2
  status=0
  (cd fuzz && cargo fuzz run --sanitizer none "$t" "corpus/$t" -- \
      -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=4096) > "fuzz/logs/$t.log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "fuzz/logs/$t.log" | awk '{print $2}' | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' "fuzz/logs/$t.log" | tail -1 | awk '{print $2}' || true)
  crashes=$(find "fuzz/artifacts/$t" -name 'crash-*' 2>/dev/null | wc -l || true)
  summary+=("| $t | ${runs:-0} | ${cov:-0} | $crashes | $status |")
done
printf '| target | executions | coverage (edges) | crashes | exit |\n| --- | ---: | ---: | ---: | ---: |\n'
printf '%s\n' "${summary[@]}"
