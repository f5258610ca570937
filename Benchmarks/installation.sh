# Sourced by the benchmark scripts: a release build of `shomei`, a throw-away data folder `d` in
# a temporary work folder (the current directory afterwards) with contract BENCH, user U1 and a
# P-256 certificate for it (`leaf.pem`, `leaf.key`). Each script defines `stop_peers` (what it
# started) before sourcing; the work folder is removed on exit.
swift build -c release --product shomei >/dev/null
S=$PWD/.build/release/shomei
work=$(mktemp -d)
cleanup() {
  stop_peers
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export SHOMEI_CA_PASSPHRASE=bench-passphrase
$S init --data d >/dev/null 2>&1
$S contract add --data d --id BENCH --name Bench >/dev/null
$S user add --data d --contract BENCH --user U1 --name u --role master --email u@example.jp >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -subj /CN=x -out leaf.csr 2>/dev/null
$S cert issue --data d --contract BENCH --user U1 --csr leaf.csr --out leaf.pem >/dev/null
