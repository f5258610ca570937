#!/usr/bin/env bash
# Full mutual-TLS handshakes per second (a new connection each, no session reuse), ECDSA P-256
# server and client certificates: `shomei serve`'s HTTPS listener beside Debian's nginx with
# `ssl_verify_client on` on the same certificates, in one run, with the same clients.
# Usage: Benchmarks/mtls.sh [seconds per round] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
clients=${2:-2}
stop_peers() {
  [ -n "${nginx_pid:-}" ] && kill "$nginx_pid" 2>/dev/null
  [ -n "${shomei_pid:-}" ] && kill "$shomei_pid" 2>/dev/null
  return 0
}
source Benchmarks/installation.sh
cat d/ca/issuing.pem d/ca/root.pem > clientcas.pem

# Shomei: the development server certificate (P-256, from the issuing CA) is made on first start.
$S serve --data d --port 18090 --https-port 18453 >/dev/null 2>&1 & shomei_pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18090/health && break; sleep 0.2; done
cat d/tls/server.pem d/ca/issuing.pem > server-chain.pem

# nginx: same server key and chain, client certificates required and verified against the same CAs.
mkdir -p nginx/logs
cat > nginx/nginx.conf <<CONF
worker_processes $(nproc);
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:18454 ssl;
    ssl_certificate $work/server-chain.pem;
    ssl_certificate_key $work/d/tls/server.key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
    ssl_verify_client on;
    ssl_verify_depth 2;
    ssl_client_certificate $work/clientcas.pem;
    location / { return 200 "ok\n"; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' & nginx_pid=$!
sleep 1

# `clients` s_time processes at once, each a new full handshake per connection; the sum of
# their connection counts over `seconds`.
handshakes() {
  local port=$1 total=0 pids=()
  for i in $(seq "$clients"); do
    openssl s_time -connect "127.0.0.1:$port" -new -cert leaf.pem -key leaf.key -CAfile d/ca/root.pem \
      -time "$seconds" > "stime-$port-$i.txt" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  for i in $(seq "$clients"); do
    n=$(grep -o '^[0-9]* connections in [0-9.]* real' "stime-$port-$i.txt" | head -1 | cut -d' ' -f1)
    total=$((total + ${n:-0}))
  done
  echo "$total"
}
# A certificate-verified request works on both before measuring.
curl -sf --cacert d/ca/root.pem --cert leaf.pem --key leaf.key https://127.0.0.1:18453/health >/dev/null
curl -sf --cacert d/ca/root.pem --cert leaf.pem --key leaf.key https://127.0.0.1:18454/ >/dev/null
if curl -s --cacert d/ca/root.pem https://127.0.0.1:18454/ | grep -q ok; then echo "nginx did not require the client certificate" >&2; exit 1; fi

# Alternate the two servers over `rounds` rounds, so a noisy neighbour hits both alike.
rounds=3
shomei=0 nginx=0
for _ in $(seq $rounds); do
  shomei=$((shomei + $(handshakes 18453)))
  nginx=$((nginx + $(handshakes 18454)))
done
echo "full mTLS handshakes in $rounds x ${seconds}s with $clients clients: shomei $shomei, nginx $nginx"
python3 -c "s,n,t=$shomei,$nginx,$rounds*$seconds; print(f'shomei {s/t:.0f}/s  nginx {n/t:.0f}/s  ratio {100*s/n:.0f} %')"
