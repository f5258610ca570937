#!/usr/bin/env bash
# The Monday-morning login storm (issue #15): `users` users log in at once with certificate +
# password over HTTPS against `shomei serve` (release build) for `seconds`, then again with an
# EST renewal running alongside; the raw bcrypt rate at cost 12 on the same cores is measured
# in the same run (ShomeiBenchmarks login, Benchmarks/ShomeiBenchmarks/LoginStorm.swift).
# Usage: Benchmarks/login.sh [seconds] [users] [sqlite|postgres]
#   postgres: a fresh database on the local cluster, as .ci/run sets it up (role shomei).
#   SHOMEI_SERVER=/path/to/shomei measures another build of the server (an earlier commit's)
#   with this build's load generator; nothing is rebuilt then.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
users=${2:-16}
backend=${3:-sqlite}
if [ -z "${SHOMEI_SERVER:-}" ]; then
  swift build -c release --product shomei >/dev/null
  swift build -c release --product ShomeiBenchmarks >/dev/null
fi
S=${SHOMEI_SERVER:-$PWD/.build/release/shomei}
B=$PWD/.build/release/ShomeiBenchmarks
work=$(mktemp -d)
database=shomei_storm_$$
cleanup() {
  [ -n "${shomei_pid:-}" ] && kill "$shomei_pid" 2>/dev/null && wait "$shomei_pid" 2>/dev/null
  [ "$backend" = postgres ] && su postgres -c "dropdb --if-exists $database" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export SHOMEI_CA_PASSPHRASE=bench-passphrase
if [ "$backend" = postgres ]; then
  su postgres -c "createdb -O shomei $database"
  export SHOMEI_DATABASE_URL="postgres://shomei:shomei@127.0.0.1:5432/$database?sslmode=disable"
fi
$S init --data d >/dev/null 2>&1
# Certificates of 30 days with a 30-day renewal window: the EST user can renew at once.
python3 - <<'PY'
import json
c = json.load(open("d/shomei.json"))
c["certificates"]["validityDays"] = 30
c["lifecycle"] = {"renewalWindowDays": 30, "noticeOffsetsDays": [30, 10], "reacquisitionGraceDays": 90}
json.dump(c, open("d/shomei.json", "w"), indent=2)
PY
printf 'benchmark-password\n' > password
$S contract add --data d --id STORM --name Storm >/dev/null
for user in $(seq -f 'U%g' 1 "$users") EST; do
  $S user add --data d --contract STORM --user "$user" --name "$user" --role general --email "$user@example.jp" \
    --password-file password >/dev/null
  mkdir -p "creds/$user"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "creds/$user/key.pem" -subj /CN=x \
    -out "creds/$user/request.csr" 2>/dev/null
  $S cert issue --data d --contract STORM --user "$user" --csr "creds/$user/request.csr" --out "creds/$user/certificate.pem" >/dev/null
done
$S serve --data d --port 18091 --https-port 18455 >serve.log 2>&1 & shomei_pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18091/health && break; sleep 0.2; done
echo "login storm: $users users, ${seconds}s, $backend, $(nproc) cores"
$B login https://127.0.0.1:18455 d/ca/root.pem creds "$users" "$seconds" benchmark-password
