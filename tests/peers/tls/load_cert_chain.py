#!/usr/bin/env python3
"""Does Python's ssl accept this certificate file and key for a server (what websockets.serve(ssl=...) does first)?

Usage: load_cert_chain.py CERTFILE KEYFILE. Prints {"ok": true} or {"ok": false, "error": "..."}.
"""
import json
import ssl
import sys

context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
try:
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    print(json.dumps({"ok": True}))
except (ssl.SSLError, OSError) as e:
    print(json.dumps({"ok": False, "error": str(e)}))
