"""The echo server of the Autobahn convention on Python websockets (Debian's 10.x, legacy API), for
`wsdoctor conform server`. permessage-deflate is websockets' default; max_size is raised to 32 MiB (its default
is 1 MiB, below the 16 MiB of case 9.1.6), as websockets' own compliance server does. Prints its port first."""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 0
    async with websockets.serve(echo, "127.0.0.1", port, max_size=2 ** 25, max_queue=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
