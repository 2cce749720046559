#!/usr/bin/env python3
"""A point-to-point link between two network namespaces with netem's faults, done in user space.

Why: the kernel this project's CI runs on has no sch_netem (tc answers "Specified qdisc kind is unknown"), so
latency, jitter, loss and reordering cannot be configured with `tc qdisc ... netem`. This script opens one TUN
device in each namespace (the device is created in the namespace of the thread that opens it, hence setns(2)
before each open) and copies every IP packet from one to the other, after a delay, or never (loss). The bandwidth
cap stays in the kernel: tc's tbf qdisc on each TUN device, set by the caller.

Usage: tunlink.py NS_A DEV_A NS_B DEV_B [--seed N]
Prints "ready" once both devices exist (the caller then adds addresses and sets them up). Then reads commands, one
a line, on stdin and answers "ok" (or "error: ...") to each:
  set delay=MS jitter=MS loss=PERCENT reorder=PERCENT    (any subset; the others keep their values)
  down                                                    (100 % loss in both directions, as a cut cable)
  up                                                      (back to the loss set before)
  stats                                                   (prints "stats forwarded=N dropped=N reordered=N")
Semantics follow netem: each packet waits delay +/- jitter (uniform, so jitter alone reorders packets closer
together than the jitter); with probability `reorder` a packet skips the delay (sent at once, ahead of the queue);
with probability `loss` it is dropped. At most LIMIT packets wait; more are dropped, as netem's `limit`.
Exits when stdin closes; the TUN devices disappear with it.
"""
import ctypes
import fcntl
import heapq
import os
import random
import select
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
LIMIT = 10000
MAX_PACKET = 65536

libc = ctypes.CDLL("libc.so.6", use_errno=True)


def enter(namespace):
    fd = os.open(f"/run/netns/{namespace}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {namespace}")
    finally:
        os.close(fd)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    args = sys.argv[1:]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else random.randrange(1 << 30)
    ns_a, dev_a, ns_b, dev_b = args[:4]
    rng = random.Random(seed)
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    enter(ns_a)
    fd_a = open_tun(dev_a)
    enter(ns_b)
    fd_b = open_tun(dev_b)
    libc.setns(home, CLONE_NEWNET)
    os.close(home)

    settings = {"delay": 0.0, "jitter": 0.0, "loss": 0.0, "reorder": 0.0}
    down = False
    queue = []  # (due, sequence, destination fd, packet)
    sequence = 0
    counts = {"forwarded": 0, "dropped": 0, "reordered": 0}
    other = {fd_a: fd_b, fd_b: fd_a}
    stdin = sys.stdin.fileno()
    print(f"ready seed={seed}", flush=True)
    pending_input = b""

    while True:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, destination, packet = heapq.heappop(queue)
            try:
                os.write(destination, packet)
                counts["forwarded"] += 1
            except OSError:  # full queue (EAGAIN) or the device not up yet (EIO): lost, as on a wire
                counts["dropped"] += 1
        timeout = max(0.0, queue[0][0] - now) if queue else None
        readable, _, _ = select.select([fd_a, fd_b, stdin], [], [], timeout)
        for fd in readable:
            if fd == stdin:
                chunk = os.read(stdin, 4096)
                if not chunk:
                    return
                pending_input += chunk
                while b"\n" in pending_input:
                    line, pending_input = pending_input.split(b"\n", 1)
                    down = command(line.decode().strip(), settings, down, counts)
                continue
            for _ in range(256):  # bounded: the other device and stdin get their turn
                try:
                    packet = os.read(fd, MAX_PACKET)
                except BlockingIOError:
                    break
                loss = 100.0 if down else settings["loss"]
                if rng.random() * 100 < loss or len(queue) >= LIMIT:
                    counts["dropped"] += 1
                    continue
                wait = settings["delay"] + rng.uniform(-settings["jitter"], settings["jitter"])
                if settings["reorder"] and rng.random() * 100 < settings["reorder"]:
                    wait = 0.0
                    counts["reordered"] += 1
                sequence += 1
                heapq.heappush(queue, (time.monotonic() + max(0.0, wait) / 1000, sequence, other[fd], packet))


def command(line, settings, down, counts):
    if not line:
        return down
    word, *rest = line.split()
    if word == "set":
        try:
            for pair in rest:
                key, value = pair.split("=", 1)
                if key not in settings:
                    raise ValueError(f"unknown setting {key}")
                settings[key] = float(value)
        except ValueError as error:
            print(f"error: {error}", flush=True)
            return down
        print("ok", flush=True)
        return down
    if word in ("down", "up"):
        print("ok", flush=True)
        return word == "down"
    if word == "stats":
        print("stats " + " ".join(f"{k}={v}" for k, v in counts.items()), flush=True)
        return down
    print(f"error: unknown command {word}", flush=True)
    return down


if __name__ == "__main__":
    main()
