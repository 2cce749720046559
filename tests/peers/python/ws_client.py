#!/usr/bin/env python3
"""Python `websockets` (10.4, Debian's python3-websockets) client driven by a JSON scenario (argv[1]).

Prints what it observed as JSON lines on stdout, like tests/peers/clients/ws-client.js, so the C# interop tests
assert on the peer's own view. Same scenario shape; extra keys: "cookie" (sent as a Cookie header).
Every await is bounded by asyncio.wait_for; the process always exits.
"""
import asyncio
import hashlib
import json
import ssl
import sys

import websockets
import websockets.exceptions


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


def payload(size, seed):
    # Same hash chain as the Node driver, so both peers send identical bytes for the same (size, seed).
    out = bytearray()
    block = hashlib.sha256(str(seed).encode()).digest()
    while len(out) < size:
        out += block[: size - len(out)]
        block = hashlib.sha256(block).digest()
    return bytes(out)


def describe(message):
    data = message.encode("utf-8") if isinstance(message, str) else message
    fields = {"kind": "text" if isinstance(message, str) else "binary", "length": len(data),
              "sha256": hashlib.sha256(data).hexdigest()}
    if isinstance(message, str) and len(data) <= 512:
        fields["text"] = message
    return fields


async def send(ws, step):
    if "text" in step:
        message = step["text"] * step.get("repeat", 1)
    elif "binary" in step:
        message = payload(step["binary"], step.get("seed", 1))
    elif "textBytes" in step:
        message = payload((step["textBytes"] + 1) // 2, step.get("seed", 1)).hex()[: step["textBytes"]]
    else:
        raise ValueError("send step needs text, binary or textBytes")
    data = message.encode("utf-8") if isinstance(message, str) else message
    fragments = max(1, min(step.get("fragments", 1), max(1, len(data))))
    if fragments == 1:
        await ws.send(message)
    else:
        # An iterable is sent as one fragmented message (one frame per item), RFC 6455 section 5.4.
        size = -(-len(message) // fragments)
        await ws.send([message[i : i + size] for i in range(0, len(message), size)])
    emit("sent", kind="text" if isinstance(message, str) else "binary", length=len(data),
         sha256=hashlib.sha256(data).hexdigest(), fragments=fragments)


async def run(scenario):
    timeout = scenario.get("timeoutMs", 20000) / 1000
    kwargs = {"open_timeout": timeout, "close_timeout": timeout, "max_size": None, "ping_interval": None}
    if scenario.get("ca"):
        kwargs["ssl"] = ssl.create_default_context(cafile=scenario["ca"])
    headers = dict(scenario.get("headers", {}))
    if scenario.get("cookie"):
        headers["Cookie"] = scenario["cookie"]
    if headers:
        kwargs["extra_headers"] = headers
    if scenario.get("origin"):
        kwargs["origin"] = scenario["origin"]
    if scenario.get("protocols"):
        kwargs["subprotocols"] = scenario["protocols"]
    if scenario.get("perMessageDeflate") is False:
        kwargs["compression"] = None
    try:
        ws = await websockets.connect(scenario["url"], **kwargs)
    except websockets.exceptions.InvalidStatusCode as error:
        emit("unexpected-response", status=error.status_code,
             headers={k.lower(): v for k, v in getattr(error, "headers", {}).items()})
        return 0
    except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException) as error:
        emit("error", message=f"{type(error).__name__}: {error}")
        return 0

    extensions = ", ".join(type(e).__name__ for e in ws.extensions)
    emit("open", protocol=ws.subprotocol or "", extensions=extensions)
    try:
        for step in scenario.get("steps", []):
            op = step["op"]
            if op == "send":
                await asyncio.wait_for(send(ws, step), timeout)
            elif op == "receive":
                for _ in range(step.get("count", 1)):
                    emit("message", **describe(await asyncio.wait_for(ws.recv(), timeout)))
            elif op == "ping":
                data = step.get("payload", "").encode()
                await asyncio.wait_for(await ws.ping(data), timeout)
                emit("pong", payload=data.decode())
            elif op == "close":
                await asyncio.wait_for(ws.close(step.get("code", 1000), step.get("reason", "")), timeout)
            elif op == "waitClose":
                await asyncio.wait_for(ws.wait_closed(), timeout)
            elif op == "hold":
                await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
            else:
                raise ValueError(f"unknown step {op}")
    except websockets.exceptions.ConnectionClosed:
        pass
    except asyncio.TimeoutError:
        emit("timeout", message=f"step timed out after {timeout} s")
        await ws.close()
        return 1
    if ws.closed or scenario.get("steps", [{}])[-1].get("op") in ("close", "waitClose"):
        await asyncio.wait_for(ws.wait_closed(), timeout)
        emit("close", code=ws.close_code, reason=ws.close_reason)
    else:
        await ws.close()
    return 0


def main():
    code = asyncio.run(run(json.loads(sys.argv[1])))
    emit("done")
    sys.exit(code)


if __name__ == "__main__":
    main()
