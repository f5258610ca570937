#!/usr/bin/python3
"""Proves Sources/ShomeiWeb/Assets/enroll.js in real headless Chromium against real peers.

a. Key pairs (RSA-2048, P-256) and PKCS#10 CSRs made by WebCrypto in the page: `openssl req
   -verify` and Python `cryptography` check the signature, subject and key type.
b. A throwaway openssl CA issues a certificate for each CSR; the page packs key + chain into a
   PKCS#12 with a non-ASCII password, which `openssl pkcs12` (MAC, key decryption, PBES2 profile)
   and `cryptography`'s PKCS#12 loader must open; a wrong password must be refused.
c. The page wiring end to end against a fake enrolment endpoint on the same http.server: the POST
   carries the CSRF header and only the listed members (never the key), the downloaded file
   opens with the chosen password, and the error, password-mismatch and network cases show the
   right messages.

Run with Debian's /usr/bin/python3 (python3-selenium):
    webcrypto_check.py --script Sources/ShomeiWeb/Assets/enroll.js --work /tmp/wc
Exits 0 with a summary; non-zero with a message on any failure; prints "SKIPPED: <why>" and
exits 0 when chromium, chromedriver or selenium is missing."""
import argparse
import base64
import http.server
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import time
from urllib.parse import urlparse, parse_qs

from browser_peer import (CHROMEDRIVER, CHROMIUM, By, CheckFailed, Select, Service, TimeoutException,
                          WebDriverWait, check, missing_browser, run, webdriver)

CN = "C12345U001 1394"
PASSWORD = "pässwörd-123"
FRIENDLY = "C12345U001 1394 テスト商事"
CSRF = "csrf-" + secrets.token_hex(8)
FILE_NAME = "shomei-C12345U001.p12"
MSG_PASSWORD = "証明書のパスワードが一致しないか、8文字未満です"
MSG_NETWORK = "通信できませんでした"
DENIED = "パスワードが違います"
LOGIN_FIELDS = {"contractId": "C12345", "userId": "U001", "password": "login-secret", "activationCode": "ABCD-1234"}

# ------------------------------------------------------------------ throwaway CA (openssl)

class CA:
    def __init__(self, work):
        self.work = work
        self.key = os.path.join(work, "ca.key")
        self.pem = os.path.join(work, "ca.pem")
        config = os.path.join(work, "ca.cnf")
        with open(config, "w") as f:
            f.write("[req]\ndistinguished_name = dn\nx509_extensions = ca\nprompt = no\n[dn]\nCN = Shomei Test CA\n"
                    "[ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n"
                    "subjectKeyIdentifier = hash\n")
        self.ext = os.path.join(work, "leaf.ext")
        with open(self.ext, "w") as f:
            f.write("basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n"
                    "extendedKeyUsage = clientAuth\nauthorityKeyIdentifier = keyid\n")
        run(["openssl", "req", "-x509", "-config", config, "-newkey", "rsa:2048", "-nodes", "-keyout", self.key,
             "-out", self.pem, "-days", "2", "-sha256"])
        run(["openssl", "x509", "-in", self.pem, "-outform", "DER", "-out", self.pem + ".der"])
        with open(self.pem + ".der", "rb") as f:
            self.der = f.read()
        self.lock = threading.Lock()
        self.count = 0

    def issue(self, csr_der):
        """Signs a DER CSR; returns (certificate DER, serial hex)."""
        with self.lock:
            self.count += 1
            stem = os.path.join(self.work, f"issued{self.count}")
        with open(stem + ".csr.der", "wb") as f:
            f.write(csr_der)
        run(["openssl", "req", "-inform", "DER", "-in", stem + ".csr.der", "-out", stem + ".csr.pem"])
        serial = "%X" % (secrets.randbits(120) | 1 << 124)  # 125 bits, hex as a server would show it
        run(["openssl", "x509", "-req", "-in", stem + ".csr.pem", "-CA", self.pem, "-CAkey", self.key,
             "-set_serial", "0x" + serial, "-days", "1", "-sha256", "-extfile", self.ext,
             "-outform", "DER", "-out", stem + ".crt.der"])
        with open(stem + ".crt.der", "rb") as f:
            return f.read(), serial


# ------------------------------------------------------------------ checks on artefacts

def check_csr(path, kind):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID, SignatureAlgorithmOID

    _, text = run(["openssl", "req", "-inform", "DER", "-in", path, "-verify", "-noout"])
    check("verify OK" in text, f"openssl req -verify on {kind} CSR: {text!r}")
    with open(path, "rb") as f:
        csr = x509.load_der_x509_csr(f.read())
    check(csr.is_signature_valid, f"{kind} CSR signature invalid per cryptography")
    names = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    check(len(csr.subject.rdns) == 1 and len(names) == 1 and names[0].value == CN, f"{kind} CSR subject {csr.subject}")
    check(names[0]._type.name == "UTF8String", f"{kind} CSR CN is {names[0]._type}, not UTF8String")
    check(len(list(csr.attributes)) == 0, f"{kind} CSR has attributes")
    key = csr.public_key()
    if kind == "rsa2048":
        check(isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048 and key.public_numbers().e == 65537,
              f"rsa2048 CSR key is {key}")
        check(csr.signature_algorithm_oid == SignatureAlgorithmOID.RSA_WITH_SHA256, "rsa2048 CSR signature algorithm")
    else:
        check(isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1", f"p256 CSR key is {key}")
        check(csr.signature_algorithm_oid == SignatureAlgorithmOID.ECDSA_WITH_SHA256, "p256 CSR signature algorithm")
    return csr


def check_p12(path, cert_der, friendly, label):
    """openssl and cryptography both open it with PASSWORD and refuse a wrong one; returns the
    openssl -info text and the PKCS#8 DER of the key (so callers can look for leaks)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    passin = "pass:" + PASSWORD
    _, info = run(["openssl", "pkcs12", "-in", path, "-passin", passin, "-info", "-noout"])
    for needle in ["MAC: sha256, Iteration 2048", "MAC length: 32, salt length: 16",
                   "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256",
                   "PKCS7 Data"]:
        check(needle in info, f"{label}: openssl pkcs12 -info lacks {needle!r}:\n{info}")
    # OpenSSL 3.0 prints no "MAC verified OK": success is exit 0 without "Mac verify error".
    check("mac verify error" not in info.lower(), f"{label}: MAC not verified:\n{info}")
    check("broken" not in info.lower(), f"{label}: openssl fell back to the broken password algorithm:\n{info}")
    _, certs = run(["openssl", "pkcs12", "-in", path, "-passin", passin, "-nokeys"])
    check(certs.count("BEGIN CERTIFICATE") == 2, f"{label}: expected 2 certificates:\n{certs}")
    _, keys = run(["openssl", "pkcs12", "-in", path, "-passin", passin, "-nocerts", "-nodes"])
    check("BEGIN PRIVATE KEY" in keys, f"{label}: key did not decrypt:\n{keys}")
    # Key bag and leaf cert bag carry the same localKeyID and the friendly name.
    _, everything = run(["openssl", "pkcs12", "-in", path, "-passin", passin, "-nodes"])
    ids = re.findall(r"localKeyID: ([0-9A-F ]+)", everything)
    names = re.findall(r"friendlyName: (.*)", everything)
    check(len(ids) == 2 and ids[0] == ids[1], f"{label}: localKeyIDs {ids}")
    from cryptography.hazmat.primitives import hashes
    digest = hashes.Hash(hashes.SHA256())
    digest.update(cert_der)
    expected_id = " ".join(f"{b:02X}" for b in digest.finalize()[:20])
    check(ids[0].strip() == expected_id, f"{label}: localKeyID {ids[0]} is not SHA-256(leaf)[:20] {expected_id}")
    # OpenSSL 3.0 prints a BMPString friendlyName by its low bytes only, so compare the ASCII part
    # here and the exact text through cryptography below; the raw BMPString must be there twice.
    ascii_part = friendly.encode("ascii", "ignore").decode().rstrip()
    check(len(names) == 2 and names[0] == names[1] and names[0].startswith(ascii_part), f"{label}: friendlyNames {names}")
    with open(path, "rb") as f:
        data = f.read()
    bmp = friendly.encode("utf-16-be")
    check(data.count(bytes([0x1E, len(bmp)]) + bmp) == 2, f"{label}: friendly name BMPString not in key and leaf bags")
    # A flipped byte in a certificate must break the MAC: openssl really checks it.
    tampered = bytearray(data)
    at = data.index(cert_der[40:60]) + 5
    tampered[at] ^= 0x01
    with open(path + ".tampered", "wb") as f:
        f.write(tampered)
    bad, text = run(["openssl", "pkcs12", "-in", path + ".tampered", "-passin", passin, "-info", "-noout"], ok=False)
    check(bad != 0 and "mac verify error" in text.lower(), f"{label}: tampered file accepted:\n{text}")
    wrong, text = run(["openssl", "pkcs12", "-in", path, "-passin", "pass:wrong-password", "-info", "-noout"], ok=False)
    check(wrong != 0, f"{label}: openssl accepted a wrong password:\n{text}")

    key, cert, extra = pkcs12.load_key_and_certificates(data, PASSWORD.encode())
    check(cert is not None and cert.public_bytes(serialization.Encoding.DER) == cert_der, f"{label}: leaf differs")
    check(len(extra) == 1, f"{label}: {len(extra)} additional certificates, expected 1")
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    check(key.public_key().public_bytes(*spki) == cert.public_key().public_bytes(*spki),
          f"{label}: key does not match the certificate")
    loaded = pkcs12.load_pkcs12(data, PASSWORD.encode())
    check(loaded.cert.friendly_name == friendly.encode(), f"{label}: friendly name {loaded.cert.friendly_name!r}")
    try:
        pkcs12.load_key_and_certificates(data, b"wrong-password")
        raise CheckFailed(f"{label}: cryptography accepted a wrong password")
    except ValueError:
        pass
    pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    return info, pkcs8, key


# ------------------------------------------------------------------ http server

# Laid out like Sources/ShomeiWeb/Pages/enroll-form.mustache: the status elements are siblings of
# the form (enroll.js looks in the form first, then the document).
PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>enrol</title>
<script src="/enroll.js" defer></script></head>
<body>
<form data-shomei-enroll data-endpoint="{endpoint}" data-common-name="{cn}" data-file-name="{file}"
      data-csrf="{csrf}" data-msg-password="{msg_password}" data-msg-network="{msg_network}">
  {login}
  <select name="keyType"><option value="rsa2048">RSA 2048</option><option value="p256">ECDSA P-256</option></select>
  <input type="password" name="p12Password" id="p1">
  <input type="password" name="p12PasswordConfirm" id="p2">
  <button type="submit" id="go">発行</button>
</form>
<p data-role="error" hidden></p>
<p data-role="progress" hidden>作成中…</p>
<section data-role="done" hidden>
  <span data-field="serial"></span> <span data-field="subject"></span> <span data-field="notAfter"></span>
  <a data-role="download">保存</a>
</section>
</body></html>"""

# No inline script, no eval, and Trusted Types so any innerHTML assignment of a string throws.
CSP = "default-src 'self'; script-src 'self'; object-src 'none'; require-trusted-types-for 'script'"


class State:
    script = b""
    ca = None
    posts = []  # (path, headers dict, raw body)
    issued = []  # (cert DER, serial)
    errors = []  # endpoint-side check failures


def make_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status, body, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/enroll.js":
                return self.send(200, state.script, "text/javascript; charset=utf-8")
            if url.path == "/lab.html":
                page = '<!doctype html><meta charset="utf-8"><title>lab</title><script src="/enroll.js"></script>'
                return self.send(200, page.encode(), "text/html; charset=utf-8")
            if url.path == "/enroll.html":
                query = parse_qs(url.query)
                login = "".join(f'<input name="{k}" value="{v}">' for k, v in LOGIN_FIELDS.items())
                page = PAGE.format(endpoint=query.get("endpoint", ["/api/enroll"])[0], cn=CN, file=FILE_NAME,
                                   csrf=CSRF, msg_password=MSG_PASSWORD, msg_network=MSG_NETWORK,
                                   login=login if "login" in query else "")
                return self.send(200, page.encode(), "text/html; charset=utf-8")
            if url.path == "/favicon.ico":
                return self.send(200, b"", "image/x-icon")
            self.send(404, b"not found", "text/plain")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.posts.append((self.path, dict(self.headers), body))
            if self.path == "/api/enroll-drop":
                self.close_connection = True  # no reply at all: the browser sees a network error
                return
            if self.path == "/api/enroll-denied":
                return self.reply(403, {"error": DENIED})
            if self.path != "/api/enroll":
                return self.send(404, b"not found", "text/plain")
            try:
                problem = self.validate(body)
            except Exception as error:  # a malformed request is a test failure, reported below
                problem = f"unreadable request: {error!r}"
            if problem:
                state.errors.append(problem)
                return self.reply(400, {"error": problem})
            cert, serial = state.ca.issue(base64.b64decode(json.loads(body)["csr"]))
            state.issued.append((cert, serial))
            self.reply(200, {"certificate": base64.b64encode(cert).decode(),
                             "chain": [base64.b64encode(state.ca.der).decode()],
                             "serial": serial, "subject": FRIENDLY, "notAfter": "2027年5月1日 23:59"})

        def validate(self, body):
            from cryptography import x509
            if self.headers.get("X-CSRF-Token") != CSRF:
                return f"X-CSRF-Token {self.headers.get('X-CSRF-Token')!r}"
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                return f"Content-Type {self.headers.get('Content-Type')!r}"
            request = json.loads(body)
            expected = set(LOGIN_FIELDS) | {"csr", "medium"}
            if set(request) != expected:
                return f"members {sorted(request)} != {sorted(expected)}"
            if not all(isinstance(v, str) for v in request.values()):
                return "non-string member"
            if any(request[k] != v for k, v in LOGIN_FIELDS.items()) or request["medium"] != "pc":
                return f"member values {request}"
            if PASSWORD.encode() in body or PASSWORD in request.values() or b"PRIVATE" in body:
                return "PKCS#12 password or a private key in the request"
            csr = x509.load_der_x509_csr(base64.b64decode(request["csr"]))
            if not csr.is_signature_valid:
                return "CSR signature invalid"
            if csr.subject.rfc4514_string() != "CN=" + CN:
                return f"CSR subject {csr.subject.rfc4514_string()}"
            return None

        def reply(self, status, obj):
            self.send(status, json.dumps(obj, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    return Handler


# ------------------------------------------------------------------ browser steps

LAB_SCRIPT = """
const [kind, count, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
(async () => {
  const E = window.ShomeiEnroll;
  const t0 = performance.now();
  const keyPair = await E.generateKeyPair(kind);
  const t1 = performance.now();
  (window.__keys = window.__keys || {})[kind] = keyPair;  // the key stays in the page
  const csrs = [];
  for (let i = 0; i < count; i++) csrs.push(E.toBase64(await E.buildCSR(keyPair, "C12345U001 1394")));
  const t2 = performance.now();
  done({ok: true, csrs, keygenMs: t1 - t0, csrMs: (t2 - t1) / count, secure: window.isSecureContext});
})().catch(e => done({ok: false, error: String(e && e.stack || e)}));
"""

P12_SCRIPT = """
const [kind, chain, password, name, done] = arguments;
(async () => {
  const E = window.ShomeiEnroll;
  const t0 = performance.now();
  const p12 = await E.buildPKCS12(window.__keys[kind], chain.map(E.fromBase64), password, name);
  const ms = performance.now() - t0;
  // For the record, the two password KDFs alone: PBKDF2 (key bag) and 2048 awaited SHA-256 (MAC key).
  const t1 = performance.now();
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  await crypto.subtle.deriveBits({name: "PBKDF2", salt: new Uint8Array(16), iterations: 100000, hash: "SHA-256"}, base, 256);
  const t2 = performance.now();
  let a = new Uint8Array(32);
  for (let i = 0; i < 2048; i++) a = await crypto.subtle.digest("SHA-256", a);
  done({ok: true, p12: E.toBase64(p12), ms, pbkdf2Ms: t2 - t1, macKdfMs: performance.now() - t2});
})().catch(e => done({ok: false, error: String(e && e.stack || e)}));
"""


def browser(profile, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ["--headless=new", "--no-sandbox", "--window-size=1200,900", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--no-first-run", "--disable-gpu"]:
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    env = dict(os.environ, HOME=profile)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=env), options=options)
    driver.set_script_timeout(180)
    return driver


def allow_downloads(driver, folder):
    os.makedirs(folder, exist_ok=True)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})


def wait_for_download(folder, name, timeout=30):
    deadline = time.time() + timeout
    path = os.path.join(folder, name)
    while time.time() < deadline:
        if os.path.exists(path) and not any(f.endswith(".crdownload") for f in os.listdir(folder)):
            return path
        time.sleep(0.2)
    raise CheckFailed(f"no {name} in {folder} after {timeout}s (found {os.listdir(folder)})")


def wait_until(driver, timeout, what, condition):
    """WebDriverWait, but a timeout is a CheckFailed that says what was awaited and what the
    browser console said (an uncaught exception in enroll.js shows up there)."""
    try:
        WebDriverWait(driver, timeout).until(condition)
    except TimeoutException:
        console = [e.get("message") for e in driver.get_log("browser")]
        raise CheckFailed(f"timed out after {timeout}s waiting for {what}; browser console: {console}")


def visible(driver, selector):
    return driver.execute_script("const e = document.querySelector(arguments[0]); return !!e && !e.hidden;", selector)


def text_of(driver, selector):
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                                 selector)


def fill_form(driver, base, endpoint, kind, p1, p2, login=True):
    driver.get(f"{base}/enroll.html?endpoint={endpoint}" + ("&login=1" if login else ""))
    wait_until(driver, 10, "window.ShomeiEnroll", lambda d: d.execute_script("return !!window.ShomeiEnroll"))
    Select(driver.find_element(By.NAME, "keyType")).select_by_value(kind)
    driver.find_element(By.ID, "p1").send_keys(p1)
    driver.find_element(By.ID, "p2").send_keys(p2)
    typed = driver.execute_script("return [p1.value, p2.value]")
    check(typed == [p1, p2], f"send_keys typed {typed!r}, expected {[p1, p2]!r}")
    driver.find_element(By.ID, "go").click()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()

    missing = missing_browser()
    if missing:
        print("SKIPPED: missing " + ", ".join(missing))
        return 0
    from cryptography import x509

    # Everything of this run goes into a fresh folder under --work; nothing there is deleted.
    os.makedirs(args.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix="run-", dir=os.path.abspath(args.work))
    state = State()
    with open(args.script, "rb") as f:
        state.script = f.read()
    state.ca = CA(work)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://localhost:{server.server_address[1]}"
    profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    summary = []
    started = time.time()
    driver = browser(profile, downloads)
    try:
        version = driver.capabilities.get("browserVersion", "?")
        summary.append(f"Chromium {version}, page {base} (secure context required)")

        # a + b: library calls in a bare page.
        driver.get(base + "/lab.html")
        for kind, count in (("rsa2048", 1), ("p256", 200)):
            result = driver.execute_async_script(LAB_SCRIPT, kind, count)
            check(result.get("ok"), f"{kind} key/CSR in page failed: {result.get('error')}")
            check(result["secure"], "page is not a secure context")
            for i, b64 in enumerate(result["csrs"]):
                path = os.path.join(work, f"{kind}-{i}.csr.der")
                with open(path, "wb") as f:
                    f.write(base64.b64decode(b64))
                if i == 0:
                    check_csr(path, kind)
                else:  # many ECDSA signatures exercise the r||s -> DER INTEGER edge cases
                    check(x509.load_der_x509_csr(base64.b64decode(b64)).is_signature_valid,
                          f"{kind} CSR #{i} signature invalid")
            ecdsa_note = ""
            if kind == "p256":
                lengths = {}
                for b64 in result["csrs"]:
                    sig = x509.load_der_x509_csr(base64.b64decode(b64)).signature
                    r_len = sig[3]
                    for n in (r_len, sig[5 + r_len]):  # SEQUENCE { INTEGER r, INTEGER s }, short lengths
                        lengths[n] = lengths.get(n, 0) + 1
                ecdsa_note = f"; {count} ECDSA CSRs valid, INTEGER r/s lengths {dict(sorted(lengths.items()))}"
            summary.append(f"{kind}: keygen {result['keygenMs']:.1f} ms, CSR {result['csrMs']:.1f} ms; "
                           f"openssl req -verify OK, cryptography OK{ecdsa_note}")

            cert, serial = state.ca.issue(base64.b64decode(result["csrs"][0]))
            chain = [base64.b64encode(cert).decode(), base64.b64encode(state.ca.der).decode()]
            packed = driver.execute_async_script(P12_SCRIPT, kind, chain, PASSWORD, FRIENDLY)
            check(packed.get("ok"), f"{kind} PKCS#12 in page failed: {packed.get('error')}")
            path = os.path.join(work, f"{kind}.p12")
            with open(path, "wb") as f:
                f.write(base64.b64decode(packed["p12"]))
            info, _, _ = check_p12(path, cert, FRIENDLY, kind)
            summary.append(f"{kind}: PKCS#12 built in {packed['ms']:.0f} ms (PBKDF2 100000 alone {packed['pbkdf2Ms']:.0f} ms, "
                           f"2048 SHA-256 digests {packed['macKdfMs']:.0f} ms); openssl MAC verified, key decrypts, "
                           f"wrong password refused; cryptography loads key+2 certs, friendly name OK")
        summary.append("openssl -info: " + " | ".join(
            line.strip() for line in info.splitlines()
            if line.startswith(("MAC", "Shrouded", "PKCS7"))))

        # c: the page wiring, end to end, once per key type.
        for kind in ("p256", "rsa2048"):
            folder = os.path.join(downloads, kind)
            allow_downloads(driver, folder)
            posts_before = len(state.posts)
            t0 = time.time()
            fill_form(driver, base, "/api/enroll", kind, PASSWORD, PASSWORD)
            wait_until(driver, 120, f"{kind}: done or error shown",
                       lambda d: visible(d, "[data-role=done]") or visible(d, "[data-role=error]"))
            check(not state.errors, f"endpoint rejected the request: {state.errors}")
            check(visible(driver, "[data-role=done]"), f"{kind}: error shown: {text_of(driver, '[data-role=error]')}")
            cert, serial = state.issued[-1]
            check(text_of(driver, "[data-field=serial]") == serial, f"{kind}: serial shows {text_of(driver, '[data-field=serial]')!r}")
            check(text_of(driver, "[data-field=subject]") == FRIENDLY, f"{kind}: subject field")
            check(text_of(driver, "[data-field=notAfter]") == "2027年5月1日 23:59", f"{kind}: notAfter field")
            check(driver.execute_script("return document.querySelector('form[data-shomei-enroll]').hidden"),
                  f"{kind}: form still shown")
            check(not visible(driver, "[data-role=progress]"), f"{kind}: progress still shown")
            href = driver.execute_script("const a = document.querySelector('a[data-role=download]'); return [a.href, a.download]")
            check(href[0].startswith("blob:") and href[1] == FILE_NAME, f"{kind}: download link {href}")
            path = wait_for_download(folder, FILE_NAME)
            elapsed = time.time() - t0
            _, pkcs8, key = check_p12(path, cert, FRIENDLY, f"downloaded {kind}")
            # Nothing private in what went to the server: not the key in any form, not the password.
            posted = [body for p, _, body in state.posts[posts_before:] if p == "/api/enroll"]
            check(len(posted) == 1, f"{kind}: {len(posted)} POSTs")
            from cryptography.hazmat.primitives.asymmetric import ec
            secret = (key.private_numbers().private_value if isinstance(key, ec.EllipticCurvePrivateKey)
                      else key.private_numbers().d)
            secret_bytes = secret.to_bytes((secret.bit_length() + 7) // 8, "big")
            for needle in (pkcs8, base64.b64encode(pkcs8), secret_bytes, base64.b64encode(secret_bytes)[:40],
                           secret_bytes.hex().encode(), PASSWORD.encode()):
                check(needle not in posted[0], f"{kind}: private material in the POST body")
            summary.append(f"page flow {kind}: POST ok (CSRF, members {sorted(json.loads(posted[0]))}), "
                           f"download {os.path.getsize(path)} bytes opens with password, serial shown; {elapsed:.1f} s")

        # Error reply: the server's message, button back, input kept.
        fill_form(driver, base, "/api/enroll-denied", "p256", PASSWORD, PASSWORD)
        wait_until(driver, 60, "error shown", lambda d: visible(d, "[data-role=error]"))
        check(text_of(driver, "[data-role=error]") == DENIED, f"403 shows {text_of(driver, '[data-role=error]')!r}")
        state_after = driver.execute_script(
            "return [go.disabled, document.querySelector('form').hidden, p1.value, "
            "document.querySelector('[data-role=done]').hidden, document.querySelector('[data-role=progress]').hidden]")
        check(state_after == [False, False, PASSWORD, True, True], f"after 403: [disabled, form hidden, p1, done hidden, progress hidden] = {state_after}")
        summary.append(f"403 reply: {DENIED!r} shown, button re-enabled, input kept")

        # Network failure: the connection closes without a reply.
        fill_form(driver, base, "/api/enroll-drop", "p256", PASSWORD, PASSWORD)
        wait_until(driver, 60, "error shown", lambda d: visible(d, "[data-role=error]"))
        check(text_of(driver, "[data-role=error]") == MSG_NETWORK, f"network error shows {text_of(driver, '[data-role=error]')!r}")
        check(not driver.execute_script("return go.disabled"), "button disabled after network error")
        summary.append("dropped connection: data-msg-network shown")

        # Password checks happen before any key is made or anything is sent.
        for p1, p2, why in ((PASSWORD, "pässwörd-124", "mismatch"), ("short12", "short12", "7 characters")):
            posts_before = len(state.posts)
            fill_form(driver, base, "/api/enroll", "rsa2048", p1, p2)
            wait_until(driver, 10, f"{why}: error shown", lambda d: visible(d, "[data-role=error]"))
            check(text_of(driver, "[data-role=error]") == MSG_PASSWORD, f"{why}: shows {text_of(driver, '[data-role=error]')!r}")
            time.sleep(0.5)
            check(len(state.posts) == posts_before, f"{why}: a request was sent")
            check(not driver.execute_script("return go.disabled"), f"{why}: button disabled")
        summary.append("p12 password mismatch / too short: data-msg-password shown, nothing sent")

        # No CSP violations or script errors on the console.
        logs = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"
                and "enroll-denied" not in entry.get("message", "") and "enroll-drop" not in entry.get("message", "")]
        check(not logs, f"browser console errors: {logs}")
    finally:
        driver.quit()
        server.shutdown()

    print("webcrypto_check: OK in %.1f s" % (time.time() - started))
    for line in summary:
        print("  " + line)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    except Exception:  # a crash is a failure too, with its traceback
        import traceback
        traceback.print_exc()
        print("FAILED: unexpected error (traceback above)", file=sys.stderr)
        sys.exit(2)
