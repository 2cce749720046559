"""A Python `websockets` server for wsdoctor connect's interop tests: prints its port, then one JSON line per
event (open with path and headers, message, close with code and reason). Echoes every message; "close:CODE:REASON"
makes it close with that code. Options: --cert PEM --key PEM for TLS, --origins A,B (websockets' Origin allowlist)."""
import argparse
import asyncio
import json
import ssl
import sys

# Debian ships websockets 10.x: the legacy server API (websockets.serve, ws.path, ws.request_headers).
import websockets
from websockets.exceptions import ConnectionClosed


def log(event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


async def handler(ws):
    log({"event": "open", "path": ws.path, "headers": dict(ws.request_headers), "subprotocol": ws.subprotocol})
    try:
        async for message in ws:
            binary = isinstance(message, bytes)
            log({"event": "message", "binary": binary, "size": len(message)})
            if not binary and message.startswith("close:"):
                _, code, reason = message.split(":", 2)
                await ws.close(int(code), reason)
                break
            await ws.send(message)
    except ConnectionClosed:
        pass
    log({"event": "close", "code": ws.close_code, "reason": ws.close_reason})


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    # websockets' own Origin allowlist: any other Origin gets 403 (a missing Origin too, unless "none" is listed).
    parser.add_argument("--origins")
    args = parser.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
    origins = None if args.origins is None else [None if o == "none" else o for o in args.origins.split(",")]
    async with websockets.serve(handler, "127.0.0.1", 0, ssl=context, max_size=64 * 1024 * 1024, subprotocols=["chat"], origins=origins) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        await asyncio.Future()


asyncio.run(main())
