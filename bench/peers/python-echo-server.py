"""The Python `websockets` echo server of the benchmark: Debian's python3-websockets under /usr/bin/python3,
asyncio, no compression, no keepalive pings (serve runs with --ping-interval 0 too), a 64 MiB message limit
like wsdoctor serve. Every message goes back with its type. Prints `listening ws://127.0.0.1:PORT/` once it
accepts.

Usage: /usr/bin/python3 python-echo-server.py [port]
"""
import asyncio
import signal
import sys

import websockets


async def echo(websocket, path=None):
    # `path` is passed by websockets before 10.1's single-argument handlers; accepted either way.
    try:
        async for message in websocket:
            await websocket.send(message)
    except websockets.ConnectionClosed:
        pass


async def main(port):
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with websockets.serve(
        echo, "127.0.0.1", port, compression=None, ping_interval=None, max_size=64 * 1024 * 1024, max_queue=32
    ) as server:
        bound = server.sockets[0].getsockname()[1]
        print(f"listening ws://127.0.0.1:{bound}/", flush=True)
        await stop


if __name__ == "__main__":
    try:
        chosen = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    except ValueError:
        print(f"python-echo-server: {sys.argv[1]!r} is not a port", file=sys.stderr)
        sys.exit(2)
    asyncio.run(main(chosen))
