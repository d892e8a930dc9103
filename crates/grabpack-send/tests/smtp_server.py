"""A real SMTP submission server for grabpack-send's tests (fictional data only).

STARTTLS (or implicit TLS with --implicit) with a certificate from the test's own CA, AUTH
required after TLS, an optional size limit. Every accepted message is parsed here, at the server,
and one JSON line is appended to --log per recipient: the Message-ID and the SHA-256 of the
attached PDF as received. Prints "READY <port>" once listening; runs until killed.
"""

import argparse
import asyncio
import email
import email.policy
import hashlib
import json
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, log_path, parse=True):
        self.log_path = log_path
        self.parse = parse
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if not self.parse:
            # Benchmark mode: no MIME parsing in Python, so the figure is the client's, not ours.
            with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
                for rcpt in envelope.rcpt_tos:
                    f.write(json.dumps({"rcpt": rcpt, "message_id": "", "subject": "", "pdf_sha256": None, "pdf_bytes": 0, "user": None}) + "\n")
            return "250 2.0.0 Ok: queued"
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        pdf_sha = None
        pdf_bytes = 0
        text = ""
        for part in msg.walk():
            if part.get_content_type() == "text/plain" and not text:
                text = part.get_content()
            if part.get_content_type() == "application/pdf":
                data = part.get_payload(decode=True) or b""
                pdf_sha = hashlib.sha256(data).hexdigest()
                pdf_bytes = len(data)
        raw_sha = hashlib.sha256(envelope.original_content or envelope.content).hexdigest()
        with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
            for rcpt in envelope.rcpt_tos:
                f.write(json.dumps({
                    "rcpt": rcpt,
                    "mail_from": envelope.mail_from,
                    "message_id": str(msg.get("Message-ID", "")),
                    "in_reply_to": str(msg.get("In-Reply-To", "")),
                    "references": str(msg.get("References", "")),
                    "subject": str(msg.get("Subject", "")),
                    "pdf_sha256": pdf_sha,
                    "pdf_bytes": pdf_bytes,
                    "raw_sha256": raw_sha,
                    "text": text,
                    "user": getattr(session, "auth_data", None) and session.auth_data.login.decode(),
                }) + "\n")
        return "250 2.0.0 Ok: queued as test-" + raw_sha[:12]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--user", default="home@maple-house.example")
    p.add_argument("--password", default="test-password-fictional")
    p.add_argument("--size-limit", type=int, default=33554432)
    p.add_argument("--implicit", action="store_true")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--no-parse", action="store_true")
    p.add_argument("--plaintext", action="store_true", help="no TLS at all: a server the app must refuse")
    a = p.parse_args()

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.user and auth_data.password.decode() == a.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    handler = Handler(a.log, parse=not a.no_parse)
    kwargs = dict(
        hostname="127.0.0.1",
        port=a.port,
        authenticator=authenticator,
        auth_required=True,
        data_size_limit=a.size_limit,
    )
    if a.plaintext:
        kwargs.update(auth_required=False, auth_require_tls=False)
    elif a.implicit:
        kwargs.update(ssl_context=ctx, auth_require_tls=False)
    else:
        kwargs.update(tls_context=ctx, require_starttls=True, auth_require_tls=True)
    controller = Controller(handler, **kwargs)
    controller.start()
    print("READY", controller.port, flush=True)
    try:
        threading.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
