#!/usr/bin/env python3
"""Small STARTTLS servers for the tests (127.0.0.1 only): `smtp` (aiosmtpd, Debian python3-aiosmtpd, STARTTLS
offered or not) and `imap` (a few lines: greeting, STARTTLS, CAPABILITY, LOGOUT). Prints READY when listening;
stops on SIGTERM.
usage: textservers.py smtp|smtp-plain|imap PORT CERT KEY"""
import socket, ssl, sys, threading, signal, time

kind, port, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)


def smtp():
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    tls = kind == "smtp"
    c = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=ctx if tls else None,
                   require_starttls=False, server_hostname="mail.test", ident="CertScope test ESMTP")
    c.start()
    print("READY", flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    c.stop()


def imap_conn(conn):
    f = conn.makefile("rb")
    conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] test IMAP ready\r\n")
    tls = False
    while True:
        line = f.readline(4096)
        if not line:
            return
        parts = line.decode("latin1").strip().split(" ", 2)
        tag, cmd = parts[0], (parts[1].upper() if len(parts) > 1 else "")
        if cmd == "STARTTLS" and not tls:
            conn.sendall(tag.encode() + b" OK Begin TLS negotiation now\r\n")
            conn = ctx.wrap_socket(conn, server_side=True)
            f = conn.makefile("rb")
            tls = True
        elif cmd == "CAPABILITY":
            conn.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag.encode() + b" OK CAPABILITY completed\r\n")
        elif cmd == "LOGOUT":
            conn.sendall(b"* BYE bye\r\n" + tag.encode() + b" OK LOGOUT completed\r\n")
            return
        else:
            conn.sendall(tag.encode() + b" BAD unknown command\r\n")


def imap():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(16)
    print("READY", flush=True)

    def serve(c):
        try:
            imap_conn(c)
        except Exception:
            pass
        finally:
            c.close()

    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


signal.signal(signal.SIGTERM, lambda *a: sys.exit(0)) if kind == "imap" else None
smtp() if kind.startswith("smtp") else imap()
