"""Speaks raw HTTP/1.x to the publication listener the way odd clients do (pipelining, HTTP/1.0,
HEAD, conditional GET, garbage, oversized bodies) and checks every answer on the wire.
Usage: http_wire_check.py PORT OCSP_REQUEST_FILE. Prints what failed; exit 1 if anything did."""

import socket
import sys
import threading

PORT = int(sys.argv[1])
OCSP = open(sys.argv[2], "rb").read()
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def exchange(raw):
    """Sends raw bytes (from a thread, so a server that stops reading until we read cannot
    deadlock us) and reads until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", PORT), timeout=20) as connection:
        sender = threading.Thread(target=connection.sendall, args=(raw,))
        sender.start()
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
        sender.join()
    return received


def parse(received, methods):
    """Splits a byte stream into (status, headers, body) per request method, in order."""
    responses = []
    for method in methods:
        head, _, received = received.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = 0 if method == "HEAD" or status == 304 else int(headers.get("content-length", "0"))
        responses.append((status, headers, received[:length]))
        received = received[length:]
    check(received == b"", f"bytes after the last response: {received[:80]!r}")
    return responses


def request(method, path, extra="", body=b""):
    return f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode() + body


ocsp_post = request("POST", "/ocsp", f"Content-Type: application/ocsp-request\r\nContent-Length: {len(OCSP)}\r\n", OCSP)
crl_tag = parse(exchange(request("GET", "/crl/issuing.crl", "Connection: close\r\n")), ["GET"])[0][1]["etag"]

# Pipelined: a fixed document, an OCSP answer that needs the store, HEAD, a conditional GET,
# a wrong method, an unknown path; answers must come back in order, whole, on one connection.
pipelined = (request("GET", "/health") + ocsp_post + request("HEAD", "/ca/root.pem")
             + request("GET", "/crl/issuing.crl", f"If-None-Match: {crl_tag}\r\n")
             + request("DELETE", "/crl/issuing.crl") + request("GET", "/nothing-here")
             + request("GET", "/ca/root.pem", "Connection: close\r\n"))
answers = parse(exchange(pipelined), ["GET", "POST", "HEAD", "GET", "DELETE", "GET", "GET"])
health, ocsp, head, not_modified, refused, missing, root = answers
check(health[0] == 200 and health[2] == b"ok\n", f"health: {health}")
check(ocsp[0] == 200 and ocsp[1]["content-type"] == "application/ocsp-response" and ocsp[2][:1] == b"\x30", f"ocsp: {ocsp[:2]}")
check(ocsp[1].get("cache-control") == "no-store", "a POST answer is not for caches")
check(head[0] == 200 and head[2] == b"" and int(head[1]["content-length"]) == len(root[2]), f"HEAD: {head[:2]}")
check(not_modified[0] == 304 and "content-length" not in not_modified[1], f"conditional GET: {not_modified[:2]}")
check(refused[0] == 405 and refused[1].get("allow") == "GET, HEAD", f"DELETE: {refused[:2]}")
check(missing[0] == 404, f"unknown path: {missing[:2]}")
check(root[0] == 200 and root[2].startswith(b"-----BEGIN CERTIFICATE-----"), f"root: {root[:2]}")
check(root[1].get("connection") == "close", "Connection: close is answered in kind")
check(all("date" in answer[1] for answer in answers), "every answer has a Date")

# A flood of pipelined requests, more than the server queues or buffers: all answered, in order.
flood = 3000
paths = ["/health", "/ca/root.pem", "/ocsp/" + __import__("base64").b64encode(OCSP).decode().replace("/", "%2F").replace("+", "%2B").replace("=", "%3D")]
raw = b"".join(request("GET", paths[i % 3]) for i in range(flood)) + request("GET", "/health", "Connection: close\r\n")
answers = parse(exchange(raw), ["GET"] * (flood + 1))
kinds = [answer[1].get("content-type", "") for answer in answers]
expected = [["text/plain; charset=utf-8", "application/x-pem-file", "application/ocsp-response"][i % 3] for i in range(flood)]
check(kinds[:flood] == expected and all(answer[0] == 200 for answer in answers), "a pipelined flood came back whole and in order")

# HTTP/1.0 without keep-alive: one answer, then the server closes (exchange() returns).
old = parse(exchange(b"GET /health HTTP/1.0\r\n\r\n"), ["GET"])[0]
check(old[0] == 200 and old[1].get("connection") == "close", f"HTTP/1.0: {old[:2]}")

# HTTP/1.0 asking for keep-alive hears it back and may send a second request.
kept = parse(exchange(b"GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /health HTTP/1.0\r\n\r\n"), ["GET", "GET"])
check(kept[0][1].get("connection") == "keep-alive" and kept[1][1].get("connection") == "close", f"HTTP/1.0 keep-alive: {kept}")

# A body over the limit is refused, not read into memory; garbage is a 400.
big = b"0" * 9000
oversized = parse(exchange(request("POST", "/ocsp", f"Content-Type: application/ocsp-request\r\nContent-Length: {len(big)}\r\nConnection: close\r\n", big)), ["POST"])[0]
check(oversized[0] == 413, f"oversized: {oversized[:2]}")
garbage = exchange(b"\x16\x03\x01 not http at all\r\n\r\n")
check(garbage.startswith(b"HTTP/1.1 400"), f"garbage: {garbage[:40]!r}")

print("\n".join(failures) if failures else "all wire checks passed")
sys.exit(1 if failures else 0)
