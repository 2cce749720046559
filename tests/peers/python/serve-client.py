"""A Python `websockets` (10.4) client for the wsdoctor serve tests.

Usage: serve-client.py URL [--cafile PEM] [--header 'Name: value']... [--subprotocol NAME]...
                           [--idle SECONDS] [--send TEXT]... [--send-fragments A,B,C] [--expect N] [--close CODE]
Prints one JSON object per line: {"open": subprotocol}, {"recv": text, "binary": bool} for each of the N
expected messages, then {"close": code, "reason": text}, or {"error": text} on failure. Every step has a timeout.
"""
import argparse
import asyncio
import json
import ssl
import sys

import websockets


def emit(obj):
    print(json.dumps(obj), flush=True)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--cafile")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--subprotocol", action="append", default=[])
    parser.add_argument("--send", action="append", default=[])
    parser.add_argument("--send-fragments")
    parser.add_argument("--expect", type=int, default=0)
    parser.add_argument("--close", type=int, default=1000)
    parser.add_argument("--idle", type=float, default=0, help="seconds to stay connected, receiving, before sending")
    args = parser.parse_args()

    ctx = None
    if args.url.startswith("wss:"):
        ctx = ssl.create_default_context(cafile=args.cafile)
    headers = [tuple(h.split(": ", 1)) for h in args.header]
    try:
        async with websockets.connect(args.url, ssl=ctx, extra_headers=headers,
                                      subprotocols=args.subprotocol or None, open_timeout=20,
                                      close_timeout=20, max_size=None) as ws:
            emit({"open": ws.subprotocol})
            if args.idle:
                # websockets answers the server's pings by itself while the connection is idle.
                await asyncio.sleep(args.idle)
            for text in args.send:
                await asyncio.wait_for(ws.send(text), 20)
            if args.send_fragments:
                await asyncio.wait_for(ws.send(iter(args.send_fragments.split(","))), 20)
            for _ in range(args.expect):
                message = await asyncio.wait_for(ws.recv(), 20)
                binary = isinstance(message, bytes)
                emit({"recv": message.hex() if binary else message, "binary": binary})
            await asyncio.wait_for(ws.close(args.close, "python done"), 20)
            emit({"close": ws.close_code, "reason": ws.close_reason})
    except Exception as e:  # report, never hang: the test reads this line
        emit({"error": f"{type(e).__name__}: {e}"})
        sys.exit(1)


asyncio.run(main())
