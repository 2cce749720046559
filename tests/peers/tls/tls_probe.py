#!/usr/bin/env python3
"""The Python oracle for wsdoctor's per-client TLS table: one TLS connection with ssl.create_default_context(), the
context websockets, aiohttp and requests build on.

Usage: tls_probe.py HOST PORT CAFILE [SERVERNAME]. Prints {"ok": true} or {"ok": false, "error": "..."}.
"""
import json
import socket
import ssl
import sys

host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
name = sys.argv[4] if len(sys.argv) > 4 else host
context = ssl.create_default_context(cafile=cafile)
try:
    with socket.create_connection((host, port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=name):
            print(json.dumps({"ok": True}))
except (ssl.SSLError, ssl.CertificateError, OSError) as e:
    print(json.dumps({"ok": False, "error": str(e)}))
