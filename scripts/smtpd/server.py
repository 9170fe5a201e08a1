#!/usr/bin/env python3
"""A real SMTP server for Herald's SMTP tests: aiosmtpd's SMTP implementation
with a small handler that keeps every message in a folder and can misbehave
on purpose (fault rules), so the client's failure handling meets a real
server rather than a stand-in.

    server.py --port 0 --maildir DIR [--auth user:pass [--auth-only PLAIN|LOGIN]]
              [--starttls CERT KEY | --implicit-tls CERT KEY]
              [--pipelining] [--fault RULE]...

Prints "READY <port>" on stdout once it accepts connections (port 0 picks a
free one), and runs until it is killed.

Each accepted message is written to DIR as NNNNNN.eml (the raw bytes the
client sent, dots unstuffed) and NNNNNN.json (mail_from, rcpt_tos,
connection: a number per TCP connection, tls, auth_user, pipelined: whether
RCPT and DATA had already arrived when MAIL was read, i.e. the client sent
them in one go).

--pipelining offers PIPELINING (RFC 2920) in the EHLO reply; aiosmtpd reads
pipelined commands either way but does not say so.

Fault rules, each optionally limited to its first N uses with "#N":
    rcpt:ADDR=REPLY      answer RCPT TO:<ADDR> with REPLY ("550 5.1.1 no such user")
    mail:ADDR=REPLY      answer MAIL FROM:<ADDR> with REPLY ("*" matches any address)
    data:ADDR=REPLY      answer the end of the body with REPLY (ADDR: a recipient or "*")
    drop:before-mail     close the connection when MAIL arrives, without a reply
    drop:after-rcpt      accept RCPT, then close (the client's DATA finds it gone)
    drop:after-data      read the whole body, then close without the final reply
    drop:after-reply     accept and keep the message, reply 250, then close
    stall:after-data     read the whole body, then never reply (the client times out)
"""

import argparse
import asyncio
import itertools
import json
import logging
import os
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Fault:
    """One fault rule and how many more times it applies (None: always)."""

    def __init__(self, text):
        rule, _, limit = text.partition("#")
        self.remaining = int(limit) if limit else None
        kind, _, rest = rule.partition(":")
        if kind == "drop":
            if rest not in ("before-mail", "after-rcpt", "after-data", "after-reply"):
                raise ValueError(f"unknown drop point in fault {text!r}")
            self.kind, self.point, self.address, self.reply = "drop", rest, None, None
        elif kind == "stall":
            if rest != "after-data":
                raise ValueError(f"unknown stall point in fault {text!r}")
            self.kind, self.point, self.address, self.reply = "stall", rest, None, None
        elif kind in ("rcpt", "mail", "data"):
            address, sep, reply = rest.partition("=")
            if not sep or len(reply) < 3 or not reply[:3].isdigit():
                raise ValueError(f"fault {text!r} needs ADDR=CODE TEXT")
            self.kind, self.point, self.address, self.reply = kind, None, address, reply
        else:
            raise ValueError(f"unknown fault kind in {text!r}")

    def matches(self, kind, point=None, addresses=()):
        if self.kind != kind or (point is not None and self.point != point):
            return False
        if self.address is not None and self.address != "*":
            if self.address.lower() not in (a.lower() for a in addresses):
                return False
        return self.remaining is None or self.remaining > 0

    def use(self):
        if self.remaining is not None:
            self.remaining -= 1


class Handler:
    def __init__(self, maildir, faults, pipelining=False):
        self.maildir = maildir
        self.faults = faults
        self.pipelining = pipelining
        self.numbers = itertools.count(1)
        self.connections = itertools.count(1)

    def fault(self, kind, point=None, addresses=()):
        for fault in self.faults:
            if fault.matches(kind, point, addresses):
                fault.use()
                return fault
        return None

    def connection(self, server):
        # One SMTP instance per TCP connection (a new session begins after
        # STARTTLS, the instance stays), so the number lives on the instance.
        if not hasattr(server, "herald_connection"):
            server.herald_connection = next(self.connections)
        return server.herald_connection

    @staticmethod
    def close_after_reply(server):
        # The reply is written before the handler's caller yields, so a
        # close scheduled now runs after it: the client reads the reply, then
        # the end of the stream.
        asyncio.get_running_loop().call_soon(server.transport.close)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connection(server)
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, options):
        # What the client sent after MAIL and the server has not read yet
        # (StreamReader's buffer: private, but this is a test server).
        envelope.herald_pipelined = b"RCPT" in bytes(getattr(server._reader, "_buffer", b""))
        if self.fault("drop", "before-mail"):
            server.transport.close()
            return "421 closing"  # never reaches the client: the transport is closed
        fault = self.fault("mail", addresses=[address])
        if fault:
            return fault.reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        fault = self.fault("rcpt", addresses=[address])
        if fault:
            return fault.reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        if self.fault("drop", "after-rcpt"):
            self.close_after_reply(server)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fault("stall", "after-data"):
            # Longer than any client timeout; the test kills the server.
            await asyncio.sleep(3600)
        if self.fault("drop", "after-data"):
            server.transport.close()
            return "421 closing"  # never reaches the client: the transport is closed
        fault = self.fault("data", addresses=envelope.rcpt_tos)
        if fault:
            return fault.reply
        number = next(self.numbers)
        stem = os.path.join(self.maildir, f"{number:06d}")
        with open(stem + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "connection": self.connection(server),
            # session.ssl is set after STARTTLS only; implicit TLS shows on the transport.
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": auth_user(session),
            "pipelined": getattr(envelope, "herald_pipelined", False),
        }
        with open(stem + ".json.tmp", "w") as f:
            json.dump(meta, f)
        # The JSON appears last and whole: a test that sees it sees both.
        os.replace(stem + ".eml.tmp", stem + ".eml")
        os.replace(stem + ".json.tmp", stem + ".json")
        if self.fault("drop", "after-reply"):
            self.close_after_reply(server)
        return f"250 2.0.0 Ok: queued as H{number:06d}"


def auth_user(session):
    data = session.auth_data
    return data.login.decode() if isinstance(data, LoginPassword) else None


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False: aiosmtpd then sends its 535 reply itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return authenticate


def tls_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def serve(args):
    handler = Handler(args.maildir, [Fault(f) for f in args.fault], args.pipelining)
    starttls = tls_context(*args.starttls) if args.starttls else None
    implicit = tls_context(*args.implicit_tls) if args.implicit_tls else None
    authenticator = None
    if args.auth:
        user, sep, password = args.auth.partition(":")
        if not sep:
            sys.exit("--auth needs user:pass")
        authenticator = authenticator_for(user, password)

    # --auth-only offers one mechanism, so a client's other one is tested.
    excluded = [m for m in ("PLAIN", "LOGIN") if args.auth_only and m != args.auth_only]

    def factory():
        return SMTP(
            handler,
            hostname="smtpd.herald.test",
            tls_context=starttls,
            require_starttls=starttls is not None,
            authenticator=authenticator,
            auth_exclude_mechanism=excluded,
            auth_required=authenticator is not None,
            # Plain-text AUTH is allowed on a test server without TLS.
            auth_require_tls=starttls is not None,
            timeout=60,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, host="127.0.0.1", port=args.port, ssl=implicit)
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--auth", help="user:pass; AUTH PLAIN/LOGIN is then required")
    parser.add_argument("--auth-only", choices=["PLAIN", "LOGIN"], help="offer only this mechanism")
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    tls.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--pipelining", action="store_true", help="offer PIPELINING")
    parser.add_argument("--fault", action="append", default=[], help="see the module doc")
    args = parser.parse_args()
    try:
        for rule in args.fault:
            Fault(rule)
    except ValueError as e:
        sys.exit(str(e))
    os.makedirs(args.maildir, exist_ok=True)
    # Plain-text AUTH without TLS is what some tests want: no warning for it.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
