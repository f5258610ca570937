#!/usr/bin/env python3
"""A real SMTP server for Shomei's tests: aiosmtpd on loopback, optionally with STARTTLS and
AUTH. Each accepted message is written to FOLDER as JSON, with the headers and body decoded by
Python's own email package (so the test checks what a real mail reader sees).
Prints "READY <port>" when listening; stops when its stdin closes."""
import argparse
import email
import json
import os
import socket
import ssl
import sys
import time
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, folder, reject, defer):
        self.folder = folder
        self.reject = set(reject)
        self.defer = set(defer)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        if address in self.defer:
            return "452 4.2.2 mailbox full"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(message["subject"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "date": str(message["date"]),
            "message_id": str(message["message-id"]),
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "transfer_encoding": str(message["content-transfer-encoding"]),
            "body": message.get_content(),
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "longest_line": max(len(line) for line in raw.split(b"\r\n")),
        }
        name = os.path.join(self.folder, "%d.json" % time.time_ns())
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.rename(name + ".tmp", name)
        return "250 Message accepted"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth", help="user:password")
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--defer", action="append", default=[])
    parser.add_argument("--port", type=int, help="listen on this port (to stop and start the relay on one address)")
    args = parser.parse_args()

    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
            return AuthResult(success=ok, handled=False)

        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.tls_cert))

    # aiosmtpd cannot listen on port 0 and report the port, so probe one and retry if another
    # process took it in between (tests run in parallel).
    for _ in range(10):
        port = args.port or free_port()
        controller = Controller(Sink(args.folder, args.reject, args.defer), hostname="127.0.0.1", port=port, **options)
        try:
            controller.start()
            break
        except (OSError, RuntimeError):
            continue
    else:
        sys.exit("no free port")
    print("READY %d" % port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
