#!/usr/bin/env bash
# Issuance per second (CSR verify + sign + durable SQLite commit) beside openssl's signing rate
# for the same CA key type, in one run on this machine. Usage: Benchmarks/issuance.sh [count] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
concurrency=${2:-64}
swift build -c release --product ShomeiBenchmarks >/dev/null
shomei=$(.build/release/ShomeiBenchmarks "$count" "$concurrency")
echo "$shomei"
openssl=$(openssl speed -seconds 3 ecdsap256 rsa2048 2>/dev/null)
p256_openssl=$(echo "$openssl" | awk '/bits ecdsa \(nistp256\)/ {print $(NF-1)}')
rsa_openssl=$(echo "$openssl" | awk '/^rsa 2048 bits/ {print $(NF-1)}')
p256_shomei=$(echo "$shomei" | awk '/^ecdsa-p256 issuance/ {print $3}')
rsa_shomei=$(echo "$shomei" | awk '/^rsa-2048 issuance/ {print $3}')
printf '%-11s %12s %16s %7s\n' "CA key" "shomei/s" "openssl sign/s" "ratio"
printf '%-11s %12s %16s %6.0f%%\n' "ecdsa-p256" "$p256_shomei" "$p256_openssl" "$(echo "100*$p256_shomei/$p256_openssl" | bc -l)"
printf '%-11s %12s %16s %6.0f%%\n' "rsa-2048" "$rsa_shomei" "$rsa_openssl" "$(echo "100*$rsa_shomei/$rsa_openssl" | bc -l)"
