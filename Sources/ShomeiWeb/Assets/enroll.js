// Shomei browser enrolment: the customer's key pair is made here with WebCrypto, only a
// PKCS#10 CSR goes to the server, and the issued certificate comes back to be packed with the
// key into a password-protected PKCS#12 file that is saved locally. The private key never
// leaves this page. Plain ES2020, no dependencies, no inline handlers (the pages run under a
// strict CSP), and server data is only ever written with textContent.
"use strict";

(function () {
  // ---------------------------------------------------------------- bytes and DER writing

  const utf8 = (text) => new TextEncoder().encode(text);

  // UTF-16 code units big-endian: the content of a BMPString (JS strings are UTF-16 already).
  function utf16be(text) {
    const out = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      out[2 * i] = unit >> 8;
      out[2 * i + 1] = unit & 0xff;
    }
    return out;
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }

  const random = (count) => crypto.getRandomValues(new Uint8Array(count));

  // One tag-length-value. Lengths are definite and minimal, as DER requires.
  function tlv(tag, content) {
    let length;
    if (content.length < 0x80) {
      length = [content.length];
    } else {
      const octets = [];
      for (let n = content.length; n > 0; n = Math.floor(n / 256)) octets.unshift(n & 0xff);
      length = [0x80 | octets.length, ...octets];
    }
    return concat(Uint8Array.of(tag, ...length), content);
  }

  // Base-128 with the continuation bit, for one OID arc.
  function base128(value) {
    const out = [value & 0x7f];
    for (value = Math.floor(value / 128); value > 0; value = Math.floor(value / 128)) out.unshift(0x80 | (value & 0x7f));
    return out;
  }

  // A non-negative INTEGER from a number or big-endian bytes: minimal, with a 0x00 in front
  // when the high bit would otherwise make it negative.
  function integerBytes(value) {
    let bytes;
    if (typeof value === "number") {
      bytes = [];
      for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
      bytes = Uint8Array.from(bytes);
    } else {
      let start = 0;
      while (start < value.length && value[start] === 0) start++;
      bytes = value.subarray(start);
    }
    if (bytes.length === 0 || bytes[0] & 0x80) bytes = concat(Uint8Array.of(0), bytes);
    return bytes;
  }

  const der = {
    seq: (...items) => tlv(0x30, concat(...items)),
    set: (...items) => tlv(0x31, concat(...items)),
    int: (value) => tlv(0x02, integerBytes(value)),
    bits: (bytes) => tlv(0x03, concat(Uint8Array.of(0), bytes)), // no unused bits
    octets: (bytes) => tlv(0x04, bytes),
    nul: () => Uint8Array.of(0x05, 0x00),
    oid(dotted) {
      const arcs = dotted.split(".").map(Number);
      return tlv(0x06, Uint8Array.from([...base128(40 * arcs[0] + arcs[1]), ...arcs.slice(2).flatMap(base128)]));
    },
    utf8: (text) => tlv(0x0c, utf8(text)),
    bmp: (text) => tlv(0x1e, utf16be(text)),
    // [n] constructed: EXPLICIT tagging, or IMPLICIT over a SET/SEQUENCE's content.
    ctx: (n, ...items) => tlv(0xa0 | n, concat(...items)),
  };

  const OID = {
    commonName: "2.5.4.3",
    sha256WithRSA: "1.2.840.113549.1.1.11",
    ecdsaWithSHA256: "1.2.840.10045.4.3.2",
    data: "1.2.840.113549.1.7.1",
    pbes2: "1.2.840.113549.1.5.13",
    pbkdf2: "1.2.840.113549.1.5.12",
    hmacWithSHA256: "1.2.840.113549.2.9",
    aes256CBC: "2.16.840.1.101.3.4.1.42",
    sha256: "2.16.840.1.101.3.4.2.1",
    keyBag: "1.2.840.113549.1.12.10.1.2",
    certBag: "1.2.840.113549.1.12.10.1.3",
    x509Certificate: "1.2.840.113549.1.9.22.1",
    friendlyName: "1.2.840.113549.1.9.20",
    localKeyId: "1.2.840.113549.1.9.21",
  };

  // ---------------------------------------------------------------- key pair and CSR

  const KINDS = {
    rsa2048: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-256" },
    p256: { name: "ECDSA", namedCurve: "P-256" },
  };

  // Extractable, because the PKCS#12 needs the PKCS#8 export; it is only ever exported encrypted.
  async function generateKeyPair(kind) {
    const algorithm = KINDS[kind];
    if (!algorithm) throw new Error("unknown key type: " + kind);
    return crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  }

  // WebCrypto gives ECDSA signatures as raw r||s; X.509 wants SEQUENCE { INTEGER r, INTEGER s }.
  function ecdsaRawToDer(raw) {
    const half = raw.length / 2;
    return der.seq(der.int(raw.subarray(0, half)), der.int(raw.subarray(half)));
  }

  async function sign(privateKey, data) {
    if (privateKey.algorithm.name === "ECDSA") {
      const raw = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, data);
      return { algorithm: der.seq(der.oid(OID.ecdsaWithSHA256)), signature: ecdsaRawToDer(new Uint8Array(raw)) };
    }
    const signature = await crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, privateKey, data);
    return { algorithm: der.seq(der.oid(OID.sha256WithRSA), der.nul()), signature: new Uint8Array(signature) };
  }

  // PKCS#10 (RFC 2986): version 0, subject CN only, no attributes ([0] present but empty).
  async function buildCSR(keyPair, commonName) {
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", keyPair.publicKey));
    const subject = der.seq(der.set(der.seq(der.oid(OID.commonName), der.utf8(commonName))));
    const info = der.seq(der.int(0), subject, spki, der.ctx(0));
    const { algorithm, signature } = await sign(keyPair.privateKey, info);
    return der.seq(info, algorithm, der.bits(signature));
  }

  // ---------------------------------------------------------------- PKCS#12

  const KEY_ITERATIONS = 100000; // PBKDF2 rounds for the key bag
  const MAC_ITERATIONS = 2048; // OpenSSL 3's default for the MAC

  // PBES2 (RFC 8018): PBKDF2-HMAC-SHA256 over the UTF-8 password, then AES-256-CBC
  // (WebCrypto pads with PKCS#7, as PBES2 expects). Returns the EncryptedPrivateKeyInfo.
  async function encryptPrivateKey(pkcs8, password) {
    const salt = random(16);
    const iv = random(16);
    const base = await crypto.subtle.importKey("raw", utf8(password), "PBKDF2", false, ["deriveKey"]);
    const aes = await crypto.subtle.deriveKey(
      { name: "PBKDF2", salt, iterations: KEY_ITERATIONS, hash: "SHA-256" },
      base, { name: "AES-CBC", length: 256 }, false, ["encrypt"]);
    const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, aes, pkcs8));
    const algorithm = der.seq(
      der.oid(OID.pbes2),
      der.seq(
        der.seq(der.oid(OID.pbkdf2), der.seq(der.octets(salt), der.int(KEY_ITERATIONS), der.seq(der.oid(OID.hmacWithSHA256), der.nul()))),
        der.seq(der.oid(OID.aes256CBC), der.octets(iv))));
    return der.seq(algorithm, der.octets(ciphertext));
  }

  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));

  // RFC 7292 Appendix B.2 with SHA-256 (u = 32, v = 64). WebCrypto has no such KDF, so it is
  // spelled out: D = v copies of id, I = salt and password each repeated to whole v-byte blocks
  // (the password as a BMPString with its two-byte NUL), A = H^r(D || I), output A1 || A2 || ...
  async function pkcs12KDF(password, salt, id, iterations, length) {
    const u = 32, v = 64;
    const fill = (bytes) => {
      const out = new Uint8Array(bytes.length === 0 ? 0 : v * Math.ceil(bytes.length / v));
      for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length];
      return out;
    };
    const D = new Uint8Array(v).fill(id);
    const I = concat(fill(salt), fill(concat(utf16be(password), Uint8Array.of(0, 0))));
    const out = new Uint8Array(length);
    for (let done = 0; done < length; done += u) {
      let A = await sha256(concat(D, I));
      for (let r = 1; r < iterations; r++) A = await sha256(A);
      out.set(A.subarray(0, Math.min(u, length - done)), done);
      if (done + u >= length) break;
      // For the next block, each v-byte block Ij of I becomes (Ij + B + 1) mod 2^(8v), where B
      // is A repeated to v bytes: a big-endian addition with carry. (A 32-byte MAC key needs only
      // one block, but keep the general step right.)
      const B = fill(A);
      for (let j = 0; j < I.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const sum = I[j + k] + B[k] + carry;
          I[j + k] = sum & 0xff;
          carry = sum >> 8;
        }
      }
    }
    return out;
  }

  const dataContentInfo = (content) => der.seq(der.oid(OID.data), der.ctx(0, der.octets(content)));
  const safeBag = (type, value, attributes) => der.seq(der.oid(type), der.ctx(0, value), attributes || new Uint8Array(0));

  // PFX (RFC 7292) in OpenSSL 3's default profile, mirroring ShomeiPKI's PKCS12.encode: the
  // certificates in one plain SafeContents (they are public), the key in a PBES2-shrouded key
  // bag in another, key and leaf paired by localKeyId and friendlyName, and an HMAC-SHA-256 MAC.
  async function buildPKCS12(keyPair, chainDER, password, friendlyName) {
    if (!chainDER || chainDER.length === 0) throw new Error("a PKCS#12 file needs a certificate");
    const chain = chainDER.map((c) => new Uint8Array(c));
    const keyId = (await sha256(chain[0])).subarray(0, 20);
    const attributes = der.set(
      der.seq(der.oid(OID.friendlyName), der.set(der.bmp(friendlyName))),
      der.seq(der.oid(OID.localKeyId), der.set(der.octets(keyId))));

    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keyPair.privateKey));
    const keySafe = der.seq(safeBag(OID.keyBag, await encryptPrivateKey(pkcs8, password), attributes));
    pkcs8.fill(0); // the plaintext copy is no longer needed

    const certSafe = der.seq(...chain.map((cert, index) => safeBag(
      OID.certBag, der.seq(der.oid(OID.x509Certificate), der.ctx(0, der.octets(cert))), index === 0 ? attributes : null)));
    const authenticatedSafe = der.seq(dataContentInfo(certSafe), dataContentInfo(keySafe));

    const macSalt = random(16);
    const macKey = await crypto.subtle.importKey(
      "raw", await pkcs12KDF(password, macSalt, 3, MAC_ITERATIONS, 32),
      { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", macKey, authenticatedSafe));
    const macData = der.seq(
      der.seq(der.seq(der.oid(OID.sha256), der.nul()), der.octets(mac)), der.octets(macSalt), der.int(MAC_ITERATIONS));
    return der.seq(der.int(3), dataContentInfo(authenticatedSafe), macData);
  }

  // ---------------------------------------------------------------- base64

  function toBase64(bytes) {
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  function fromBase64(text) {
    const binary = atob(String(text));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }

  // ---------------------------------------------------------------- page wiring

  // The form's own status elements first; the "done" panel sits outside the (then hidden) form.
  const find = (form, selector) => form.querySelector(selector) || document.querySelector(selector);
  const show = (element) => { if (element) element.hidden = false; };
  const hide = (element) => { if (element) element.hidden = true; };

  // Members sent beside the CSR: every named field except the key type and the PKCS#12
  // passwords, which stay in the page.
  const LOCAL_FIELDS = new Set(["keyType", "p12Password", "p12PasswordConfirm"]);

  function wire(form) {
    const button = form.querySelector("button[type=submit], input[type=submit], button:not([type])");
    const error = find(form, "[data-role=error]");
    const progress = find(form, "[data-role=progress]");
    const fail = (message) => {
      if (error) { error.textContent = message; show(error); }
      if (button) button.disabled = false;
    };

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const fields = new FormData(form);
      const kind = String(fields.get("keyType") || "rsa2048");
      const password = String(fields.get("p12Password") || "");
      hide(error);
      if (password !== String(fields.get("p12PasswordConfirm") || "") || [...password].length < 8) {
        fail(form.dataset.msgPassword || "");
        return;
      }
      if (button) button.disabled = true;
      show(progress);
      try {
        const keyPair = await generateKeyPair(kind);
        const body = {};
        for (const [name, value] of fields) {
          if (!LOCAL_FIELDS.has(name) && typeof value === "string") body[name] = value;
        }
        body.csr = toBase64(await buildCSR(keyPair, form.dataset.commonName || ""));
        body.medium = "pc";

        let response;
        try {
          response = await fetch(form.dataset.endpoint, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf || "" },
            body: JSON.stringify(body),
            credentials: "same-origin",
          });
        } catch (_) {
          fail(form.dataset.msgNetwork || "");
          return;
        }
        const reply = await response.json().catch(() => null);
        if (!response.ok || !reply || typeof reply.certificate !== "string") {
          // A proxy's HTML error page has no message of ours: treat it like a network failure.
          fail(reply && typeof reply.error === "string" ? reply.error : (form.dataset.msgNetwork || ""));
          return;
        }

        const chain = [reply.certificate, ...(Array.isArray(reply.chain) ? reply.chain : [])].map(fromBase64);
        const p12 = await buildPKCS12(keyPair, chain, password, String(reply.subject || ""));
        const link = find(form, "a[data-role=download]");
        if (link) {
          link.href = URL.createObjectURL(new Blob([p12], { type: "application/x-pkcs12" }));
          link.download = form.dataset.fileName || "certificate.p12";
        }
        const done = find(form, "[data-role=done]");
        for (const name of ["serial", "subject", "notAfter"]) {
          const field = find(form, "[data-field=" + name + "]");
          if (field) field.textContent = String(reply[name] ?? "");
        }
        hide(form);
        show(done);
        // The renewal pages' step bar: 発行完了 is now the current step.
        document.querySelectorAll(".steps li").forEach((step, index, all) => {
          step.className = index === all.length - 1 ? "current" : "finished";
        });
        if (link) link.click(); // save at once; the link stays for a second copy
      } catch (failure) {
        // WebCrypto missing (not a secure context) or refusing: nothing was saved.
        console.error(failure);
        fail(form.dataset.msgFailed || form.dataset.msgNetwork || String(failure));
      } finally {
        hide(progress);
      }
    });
  }

  function start() {
    document.querySelectorAll("form[data-shomei-enroll]").forEach(wire);
  }

  window.ShomeiEnroll = Object.freeze({ generateKeyPair, buildCSR, buildPKCS12, toBase64, fromBase64 });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
