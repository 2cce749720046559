"""The client loop of websockets' own compliance script, for Autobahn's fuzzingserver and so for `wsdoctor conform
client`: /getCaseCount, then /runCase?case=N&agent=A for each case, echoing every message until the server closes,
then /updateReports. Debian's websockets 10.x, legacy API. Usage: autobahn_client.py [ws://127.0.0.1:9001] [agent]"""
import asyncio
import sys
import urllib.parse

import websockets

BASE = sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:9001"
AGENT = sys.argv[2] if len(sys.argv) > 2 else "websockets"


async def run_case(number):
    url = f"{BASE}/runCase?case={number}&agent={urllib.parse.quote(AGENT)}"
    try:
        async with websockets.connect(url, max_size=2 ** 25, max_queue=None) as ws:
            async for message in ws:
                await ws.send(message)
    except (websockets.ConnectionClosed, websockets.InvalidHandshake, OSError):
        pass


async def main():
    async with websockets.connect(f"{BASE}/getCaseCount") as ws:
        count = int(await ws.recv())
    for number in range(1, count + 1):
        await run_case(number)
    async with websockets.connect(f"{BASE}/updateReports?agent={urllib.parse.quote(AGENT)}") as ws:
        try:
            await ws.recv()
        except websockets.ConnectionClosed:
            pass
    print(f"ran {count} cases", flush=True)


asyncio.run(main())
