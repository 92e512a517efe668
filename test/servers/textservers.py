#!/usr/bin/env python3
"""Small STARTTLS servers for the tests (127.0.0.1 only): `smtp` (aiosmtpd, Debian python3-aiosmtpd, STARTTLS
offered or not) and, where no Debian server can run here, a few lines speaking each protocol's own upgrade on the
wire: `imap` (greeting, STARTTLS, CAPABILITY), `pop3` (STLS, CAPA), `ftp` (AUTH TLS, FEAT), `ldap` (the StartTLS
extended operation, RFC 4511), `xmpp` (stream features, <starttls/>, <proceed/>), `mysql` (HandshakeV10 with
CLIENT_SSL, then the SSLRequest packet). Prints READY when listening; stops on SIGTERM.
usage: textservers.py smtp|smtp-plain|imap|pop3|ftp|ldap|xmpp|mysql PORT CERT KEY"""
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


def line_conn(conn, greeting, upgrade, upgrade_reply, replies, unknown):
    """A line protocol: greeting, then commands; `upgrade` starts TLS after `upgrade_reply`."""
    conn.sendall(greeting)
    f = conn.makefile("rb")
    while True:
        line = f.readline(4096)
        if not line:
            return
        cmd = line.decode("latin1").strip().upper()
        if cmd == upgrade:
            conn.sendall(upgrade_reply)
            conn = ctx.wrap_socket(conn, server_side=True)
            f = conn.makefile("rb")
        else:
            conn.sendall(replies.get(cmd, unknown))


def pop3_conn(conn):
    line_conn(conn, b"+OK test POP3 ready\r\n", "STLS", b"+OK Begin TLS negotiation\r\n",
              {"CAPA": b"+OK Capability list follows\r\nUSER\r\n.\r\n"}, b"-ERR unknown command\r\n")


def ftp_conn(conn):
    line_conn(conn, b"220 test FTP ready\r\n", "AUTH TLS", b"234 AUTH TLS OK\r\n",
              {"FEAT": b"211-Features:\r\n PBSZ\r\n PROT\r\n211 End\r\n"}, b"500 unknown command\r\n")


def ldap_conn(conn):
    req = conn.recv(4096)
    # SEQUENCE { messageID, [APPLICATION 23] { [0] "1.3.6.1.4.1.1466.20037" } }
    if b"1.3.6.1.4.1.1466.20037" not in req:
        return
    conn.sendall(bytes([0x30, 0x0C, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]))
    tls = ctx.wrap_socket(conn, server_side=True)
    tls.recv(1)


def xmpp_conn(conn):
    buf = b""
    while b"<stream:stream" not in buf or not buf.rstrip().endswith(b">"):
        d = conn.recv(4096)
        if not d:
            return
        buf += d
    conn.sendall(b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='t1' from='localhost' version='1.0'>"
                 b"<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>")
    buf = b""
    while b"<starttls" not in buf:
        d = conn.recv(4096)
        if not d:
            return
        buf += d
    conn.sendall(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
    tls = ctx.wrap_socket(conn, server_side=True)
    tls.recv(1)


def mysql_conn(conn):
    import struct
    caps = 0x0001 | 0x0200 | 0x0800 | 0x8000  # LONG_PASSWORD, PROTOCOL_41, SSL, SECURE_CONNECTION
    body = (bytes([10]) + b"8.0.36-test\0" + struct.pack("<I", 7) + b"abcdefgh" + b"\0" +
            struct.pack("<H", caps) + bytes([33]) + struct.pack("<H", 2) + struct.pack("<H", 0) + bytes([21]) + b"\0" * 10 + b"ijklmnopqrst\0")
    conn.sendall(struct.pack("<I", len(body))[:3] + b"\0" + body)
    req = b""
    while len(req) < 36:
        d = conn.recv(36 - len(req))
        if not d:
            return
        req += d
    tls = ctx.wrap_socket(conn, server_side=True)
    tls.recv(1)


def imap():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(16)
    print("READY", flush=True)

    def serve(c):
        try:
            HANDLERS[kind](c)
        except Exception:
            pass
        finally:
            c.close()

    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


HANDLERS = {"imap": imap_conn, "pop3": pop3_conn, "ftp": ftp_conn, "ldap": ldap_conn, "xmpp": xmpp_conn, "mysql": mysql_conn}
if not kind.startswith("smtp"):
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
smtp() if kind.startswith("smtp") else imap()
