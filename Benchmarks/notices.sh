#!/usr/bin/env bash
# Finding the lifecycle notices due among N certificates (default 1,000,000), on SQLite and, when
# SHOMEI_BENCH_POSTGRES_URL is set, PostgreSQL. The store is created by Shomei's own migrations
# and filled with the databases' bulk tools (sqlite3, psql); the timed query is Shomei's.
# Certificates expire evenly over the next 365 days; 1 in 100 has its next notice due now (a
# backlog like the one after a few days of downtime), the others later.
# Usage: Benchmarks/notices.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
swift build -c release --product ShomeiBenchmarks >/dev/null
bench=.build/release/ShomeiBenchmarks
now_ms=$(($(date +%s) * 1000))
day_ms=86400000
fill_sql() {
  local series=$1
  cat <<SQL
INSERT INTO contracts (id, name, created_at) VALUES ('BENCH', 'Bench', $now_ms);
INSERT INTO users (contract_id, user_id, name, role, email, password_hash, status, created_at, language)
  SELECT 'BENCH', 'U' || n, 'u', 'general', 'u@example.jp', 'x', 'active', $now_ms, 'ja' FROM $series;
INSERT INTO certificates (serial, contract_id, user_id, der, fingerprint, subject, not_before, not_after, medium,
                          issued_at, status, revoked_at, revocation_reason, next_notice_at)
  SELECT 'S' || n, 'BENCH', 'U' || n, x'00', 'F' || n, 'CN=bench', $now_ms, $now_ms + (n % 365 + 1) * $day_ms - 3600000,
         'pc', $now_ms, 'valid', NULL, NULL,
         CASE WHEN n % 100 = 0 THEN $now_ms - 3600000 ELSE $now_ms + (n % 365 + 1) * $day_ms END FROM $series;
SQL
}

db=$(mktemp -d)/notices.sqlite
$bench notices-schema "$db"
{ echo "BEGIN;"; fill_sql "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $count) SELECT n FROM s)"; echo "COMMIT; ANALYZE certificates;"; } | sqlite3 "$db"
echo "SQLite, $count certificates:"
sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT * FROM certificates WHERE status = 'valid' AND next_notice_at <= $now_ms ORDER BY next_notice_at LIMIT 500"
$bench notices "$db"
rm -rf "$(dirname "$db")"

if [ -n "${SHOMEI_BENCH_POSTGRES_URL:-}" ]; then
  psql -q "$SHOMEI_BENCH_POSTGRES_URL" -c "DROP SCHEMA IF EXISTS bench_notices CASCADE"
  $bench notices-schema "$SHOMEI_BENCH_POSTGRES_URL"
  { echo "SET search_path TO bench_notices;"; fill_sql "generate_series(1::bigint, $count) AS g(n)" | sed "s/x'00'/'\\\\x00'::bytea/"; echo "ANALYZE certificates;"; } \
    | psql -q -v ON_ERROR_STOP=1 "$SHOMEI_BENCH_POSTGRES_URL"
  echo "PostgreSQL, $count certificates:"
  psql -q "$SHOMEI_BENCH_POSTGRES_URL" -c "SET search_path TO bench_notices; EXPLAIN ANALYZE SELECT * FROM certificates WHERE status = 'valid' AND next_notice_at <= $now_ms ORDER BY next_notice_at LIMIT 500" | grep -E "Index|Execution"
  $bench notices "$SHOMEI_BENCH_POSTGRES_URL"
  psql -q "$SHOMEI_BENCH_POSTGRES_URL" -c "DROP SCHEMA bench_notices CASCADE"
fi
