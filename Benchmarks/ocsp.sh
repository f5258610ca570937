#!/usr/bin/env bash
# Cached OCSP GET responses per second and p99 latency: `shomei ocsp serve` beside
# `openssl ocsp -index … -port` (the reference responder) on the same certificate, in one run,
# and beside nginx serving Shomei's answer as a static file: what HTTP on this machine allows.
# Usage: Benchmarks/ocsp.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
stop_peers() {
  [ -n "${openssl_pid:-}" ] && kill -9 -- "-$openssl_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  [ -n "${shomei_pid:-}" ] && kill "$shomei_pid" 2>/dev/null
  return 0
}
source Benchmarks/installation.sh
openssl ocsp -issuer d/ca/issuing.pem -cert leaf.pem -no_nonce -reqout req.der >/dev/null
path=$(base64 -w0 req.der | python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.stdin.read().strip(), safe=""))')

# Shomei: delegated responder, cached nonce-less answers.
$S ocsp serve --data d --port 18081 2>/dev/null & shomei_pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:18081/health && break; sleep 0.2; done
curl -sf -o shomei.der "http://127.0.0.1:18081/ocsp/$path"
openssl ocsp -respin shomei.der -issuer d/ca/issuing.pem -cert leaf.pem -CAfile d/ca/root.pem -verify_other d/ca/issuing.pem 2>&1 | grep -q "leaf.pem: good"
shomei_out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:18081/ocsp/$path")
kill "$shomei_pid"; wait "$shomei_pid" 2>/dev/null || true; shomei_pid=

# openssl's reference responder on the same certificate, signing with the issuing CA key.
openssl pkey -in d/ca/issuing.key.pem -passin env:SHOMEI_CA_PASSPHRASE -out ca.key
serial=$(openssl x509 -in leaf.pem -noout -serial | cut -d= -f2)
expiry=$(openssl x509 -in leaf.pem -noout -enddate | cut -d= -f2)
printf 'V\t%s\t\t%s\tunknown\t/CN=x\n' "$(date -u -d "$expiry" +%y%m%d%H%M%SZ)" "$serial" > index.txt
set -m; openssl ocsp -index index.txt -port 18082 -rsigner d/ca/issuing.pem -rkey ca.key -CA d/ca/issuing.pem -multi 2 2>/dev/null & openssl_pid=$!; set +m
for _ in $(seq 50); do curl -sf -o openssl.der "http://127.0.0.1:18082/$path" && break; sleep 0.2; done
openssl ocsp -respin openssl.der -issuer d/ca/issuing.pem -cert leaf.pem -CAfile d/ca/root.pem -verify_other d/ca/issuing.pem 2>&1 | grep -q "leaf.pem: good"
openssl_out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:18082/$path")

# nginx (a worker per core, keep-alive) serving the same answer bytes from a file: the ceiling.
mkdir -p static && cp shomei.der static/ocsp.der
cat > nginx.conf <<EOF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx.log;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000; server { listen 127.0.0.1:18083; root $work/static; } }
EOF
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:18083/ocsp.der && break; sleep 0.2; done
nginx_out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:18083/ocsp.der")

rate() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { echo "$1" | awk '$1 == "99%" {print $2}'; }
printf '%-22s %12s %10s\n' "responder" "requests/s" "p99"
printf '%-22s %12s %10s\n' "shomei ocsp serve" "$(rate "$shomei_out")" "$(p99 "$shomei_out")"
printf '%-22s %12s %10s\n' "openssl ocsp -multi 2" "$(rate "$openssl_out")" "$(p99 "$openssl_out")"
printf '%-22s %12s %10s\n' "nginx, same bytes" "$(rate "$nginx_out")" "$(p99 "$nginx_out")"
printf 'shomei / openssl: %.1fx   shomei / nginx: %.0f %%\n' "$(echo "$(rate "$shomei_out") / $(rate "$openssl_out")" | bc -l)" \
  "$(echo "100 * $(rate "$shomei_out") / $(rate "$nginx_out")" | bc -l)"
