"""A JSON-RPC 2.0 server over WebSocket on Python `websockets`, written for the scenario tests (wsdoctor test).
Prints its port, then serves:
  add(a, b)        -> result a + b
  echo(x)          -> result x
  subscribe(n)     -> result {"subscribed": true}, then n notifications {"method": "tick", "params": {"n": i}}
  slow(seconds)    -> result "done" after that many seconds (at most 10)
  shutdown()       -> the server closes the connection with 1001 "going away"
anything else      -> error -32601 "Method not found"; a message that is not JSON -> error -32700."""
import asyncio
import json
import sys

# Debian ships websockets 10.x: the legacy server API.
import websockets
from websockets.exceptions import ConnectionClosed


async def handler(ws):
    try:
        async for raw in ws:
            try:
                request = json.loads(raw)
            except ValueError:
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}))
                continue
            rid = request.get("id")
            method = request.get("method")
            params = request.get("params") or []

            def reply(result):
                return json.dumps({"jsonrpc": "2.0", "id": rid, "result": result})

            if method == "add":
                await ws.send(reply(params[0] + params[1]))
            elif method == "echo":
                await ws.send(reply(params[0] if isinstance(params, list) else params))
            elif method == "subscribe":
                await ws.send(reply({"subscribed": True}))
                for i in range(1, int(params[0]) + 1):
                    await ws.send(json.dumps({"jsonrpc": "2.0", "method": "tick", "params": {"n": i}}))
            elif method == "slow":
                await asyncio.sleep(min(float(params[0]), 10.0))
                await ws.send(reply("done"))
            elif method == "shutdown":
                await ws.close(1001, "going away")
                return
            else:
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "Method not found"}}))
    except ConnectionClosed:
        pass


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
