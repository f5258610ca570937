#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer and AddressSanitizer (LeakSanitizer on),
# two targets at a time (one per core), each for `seconds`, starting from the committed seed
# corpus (Fuzz/Corpus, made by Tools/fuzz-seeds.sh). Prints each target's executions and what
# it found; crashes, hangs and leaks are saved under .build-fuzz/runs/.
# Usage: Tools/fuzz.sh [seconds per target] [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csr ocsp-request ocsp-get-path pkcs12 pkcs7 est-body form proxy-header)
# Not -sanitize=fuzzer: that links libFuzzer into every executable of the build, the OpenAPI
# generator plugin's tool included, which then fails to link (no LLVMFuzzerTestOneInput; gold only
# says "internal error in format_file_lineno"). The same coverage instrumentation, and libFuzzer's
# archive as a plain input, which only ShomeiFuzz (calling LLVMFuzzerRunDriver) pulls from. The
# generator tool is built with AddressSanitizer too, and leaks at exit: no leak check while building.
fuzzer=$(swiftc -print-target-info | python3 -c 'import json,sys; print(json.load(sys.stdin)["paths"]["runtimeResourcePath"])')
fuzzer=$(ls "$fuzzer"/../clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a | head -1)
ASAN_OPTIONS=detect_leaks=0 swift build --product ShomeiFuzz --scratch-path .build-fuzz -Xswiftc -sanitize=address \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -DSHOMEI_LIBFUZZER \
  -Xlinker "$fuzzer" -Xlinker -lstdc++ >/dev/null
binary=.build-fuzz/debug/ShomeiFuzz
mkdir -p .build-fuzz/runs
run() {
  local target=$1 corpus=.build-fuzz/corpus/$1
  mkdir -p "$corpus"
  cp Fuzz/Corpus/"$target"/* "$corpus"/
  SHOMEI_FUZZ_TARGET=$target "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=16384 \
    -detect_leaks=1 -print_final_stats=1 -artifact_prefix=".build-fuzz/runs/$target-" > ".build-fuzz/runs/$target.log" 2>&1 || true
  local runs found
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' ".build-fuzz/runs/$target.log" | grep -o '[0-9]*$' || echo 0)
  found=$(grep -cE '^==[0-9]+==ERROR|SUMMARY: |Test unit written' ".build-fuzz/runs/$target.log" || true)
  echo "$target: ${seconds}s, $runs executions, $(ls "$corpus" | wc -l) corpus entries, findings: $found"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[$i]}" &
  [ $((i + 1)) -lt ${#targets[@]} ] && run "${targets[$((i + 1))]}" &
  wait
done
