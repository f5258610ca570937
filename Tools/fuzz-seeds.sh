#!/usr/bin/env bash
# Writes the seed corpus of every fuzz target (Fuzz/Corpus/<target>/) from real peers: openssl's
# CSRs, OCSP requests, PKCS#12 (OpenSSL 3's default profile) and PKCS#7, and the forms and
# headers browsers and proxies send. Run once; the seeds are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=Fuzz/Corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p $corpus/{csr,ocsp-request,ocsp-get-path,pkcs12,pkcs7,est-body,form,proxy-header}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" -subj /CN=Seed-CA -days 1 -out "$work/ca.pem" 2>/dev/null
for name in p256 p384 rsa2048; do
  case $name in
    p256) key="ec -pkeyopt ec_paramgen_curve:P-256" ;;
    p384) key="ec -pkeyopt ec_paramgen_curve:P-384" ;;
    rsa2048) key="rsa:2048" ;;
  esac
  # shellcheck disable=SC2086
  openssl req -new -newkey $key -nodes -keyout "$work/$name.key" -subj /CN=seed -outform DER -out "$corpus/csr/$name.der" 2>/dev/null
  openssl req -inform DER -in "$corpus/csr/$name.der" -out "$corpus/csr/$name.pem"
  base64 -w0 "$corpus/csr/$name.der" > "$corpus/est-body/$name.b64"
  base64 -w76 "$corpus/csr/$name.der" | sed 's/$/\r/' > "$corpus/est-body/$name-crlf.b64"
  openssl x509 -req -in "$corpus/csr/$name.pem" -CA "$work/ca.pem" -CAkey "$work/ca.key" -days 1 -out "$work/$name.pem" 2>/dev/null
done
openssl ocsp -issuer "$work/ca.pem" -cert "$work/p256.pem" -reqout "$corpus/ocsp-request/nonce.der" 2>/dev/null
openssl ocsp -sha256 -issuer "$work/ca.pem" -cert "$work/p256.pem" -no_nonce -reqout "$corpus/ocsp-request/sha256.der" 2>/dev/null
openssl ocsp -issuer "$work/ca.pem" -cert "$work/p256.pem" -cert "$work/rsa2048.pem" -no_nonce -reqout "$corpus/ocsp-request/two.der" 2>/dev/null
for request in "$corpus"/ocsp-request/*.der; do
  python3 -c 'import base64,sys,urllib.parse; print(urllib.parse.quote(base64.b64encode(open(sys.argv[1],"rb").read()).decode(), safe=""), end="")' \
    "$request" > "$corpus/ocsp-get-path/$(basename "$request" .der).txt"
done
openssl pkcs12 -export -inkey "$work/p256.key" -in "$work/p256.pem" -certfile "$work/ca.pem" -name seed \
  -passout pass:fuzz-password -out "$corpus/pkcs12/openssl3.p12"
openssl pkcs12 -export -inkey "$work/rsa2048.key" -in "$work/rsa2048.pem" -passout pass:other -out "$corpus/pkcs12/wrong-password.p12"
openssl crl2pkcs7 -nocrl -certfile "$work/ca.pem" -certfile "$work/rsa2048.pem" -outform DER -out "$corpus/pkcs7/two.p7"
printf 'csrf=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ&intent=draft&reasonOther=%%E6%%8B%%85%%E5%%BD%%93&phone=0312345678' > "$corpus/form/save.txt"
printf 'csrf=x&password=s3cret+password&contractId=C1&userId=U1' > "$corpus/form/login.txt"
printf 'a=%%FF%%FE&b=%%C0%%BC&c=%%ZZ&&=x' > "$corpus/form/broken.txt"
python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read()), end="")' "$work/p256.pem" \
  > "$corpus/proxy-header/nginx.txt"
echo "seeds written to $corpus"
