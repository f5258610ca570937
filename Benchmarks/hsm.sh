#!/usr/bin/env bash
# Issuance with the issuing CA key on SoftHSM2 beside the same key type in memory, and SoftHSM's
# own C_Sign rate for that key, in one run (issue #19). Usage: Benchmarks/hsm.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-20000}
module=/usr/lib/softhsm/libsofthsm2.so
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tokens"
echo "directories.tokendir = $work/tokens" > "$work/softhsm2.conf"
export SOFTHSM2_CONF="$work/softhsm2.conf"
softhsm2-util --init-token --free --label benchhsm --pin 123456 --so-pin 87654321 >/dev/null
swift build -c release --product ShomeiBenchmarks >/dev/null
.build/release/ShomeiBenchmarks hsm "$count" "$module" benchhsm 123456
