#!/usr/bin/env bash
# Bulk registration (issue #18): `users` users of one contract through the bank API's bulk call
# (one CSV request, initial passwords generated and hashed with bcrypt at the production cost
# 12) against `shomei serve` (release build), beside the CLI path (`shomei user add`, `sample`
# calls, extrapolated) and the raw bcrypt rate on the same cores (the physical limit: one hash
# per user), all in the same run.
# Usage: Benchmarks/bulk.sh [users] [sample] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-10000}
sample=${2:-50}
backend=${3:-sqlite}
swift build -c release --product shomei >/dev/null
swift build -c release --product ShomeiBenchmarks >/dev/null
S=$PWD/.build/release/shomei
B=$PWD/.build/release/ShomeiBenchmarks
work=$(mktemp -d)
database=shomei_bulk_$$
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
token=$($S api-client add --data d --name bench --scope contracts:write,users:write --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
port=$((20000 + RANDOM % 20000)); https=$((port + 1))
$S serve --data d --port $port --https-port $https >serve.log 2>&1 &
shomei_pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$port/health/ready >/dev/null && break; sleep 0.2; done
api=https://127.0.0.1:$https/api/v1
auth="Authorization: Bearer $token"
curl -sf --cacert d/ca/root.pem -H "$auth" -H 'Content-Type: application/json' -d '{"id":"BULK","name":"Bulk"}' $api/contracts >/dev/null
python3 - "$users" >users.csv <<'PY'
import sys
print("userId,name,role,email")
for i in range(int(sys.argv[1])):
    print(f"U{i},利用者 {i},general,u{i}@example.co.jp")
PY
seconds=$(curl -s --cacert d/ca/root.pem -H "$auth" -H 'Content-Type: text/csv' --data-binary @users.csv \
  -o answer.json -w '%{time_total}' --max-time 7200 $api/contracts/BULK/users/bulk)
created=$(python3 -c 'import json; print(json.load(open("answer.json"))["created"])')
kill "$shomei_pid"; wait "$shomei_pid" 2>/dev/null || true; shomei_pid=

$S contract add --data d --id CLI --name CLI >/dev/null
start=$(date +%s.%N)
for i in $(seq 1 "$sample"); do
  $S user add --data d --contract CLI --user C$i --name "利用者 $i" --role general --email c$i@example.co.jp >/dev/null
done
cli=$(python3 -c "import sys; print(($(date +%s.%N) - $start) / $sample)")
$B bcrypt 10 | tee bcrypt.txt
python3 - "$users" "$created" "$seconds" "$cli" "$(awk '{print $(NF-1)}' bcrypt.txt)" <<'PY'
import sys
users, created, seconds, cli, bcrypt = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
bulk = seconds / created
print(f"bulk: {created}/{users} users in {seconds:.1f} s = {created / seconds:.2f} users/s ({bulk * 1000:.1f} ms/user)")
print(f"CLI: {cli * 1000:.0f} ms/user (sample) -> {cli * users:.0f} s for {users}")
print(f"bulk vs CLI per user: {cli / bulk:.1f}x; bulk vs raw bcrypt ({bcrypt:.2f}/s): {created / seconds / bcrypt * 100:.0f} %")
print(f"physical limit for {users} users at cost 12 on these cores: {users / bcrypt:.0f} s")
PY
