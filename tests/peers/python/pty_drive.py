"""Drives a program under a real pseudo-terminal, as a person at a keyboard would, for wsdoctor connect's
interactive tests. Usage: pty_drive.py STEPS.json -- PROGRAM ARGS...
STEPS is a JSON list of {"write": TEXT} (keystrokes; escape sequences such as "\u001b[D" for Left allowed),
{"expect": REGEX} (wait, at most "timeout" seconds, default 30, until the screen output since the last expect
matches) and {"exit": SECONDS} (wait for the program to end). Prints one JSON object: the whole output, the exit
status, and the step that failed (null when all passed)."""
import json
import os
import pty
import re
import select
import signal
import sys
import time


def main():
    steps = json.load(open(sys.argv[1]))
    argv = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.environ.pop("NO_COLOR", None)
        os.execvp(argv[0], argv)

    output = b""
    mark = 0
    failed = None
    status = None

    def pump(deadline):
        nonlocal output
        ready, _, _ = select.select([fd], [], [], max(0.0, min(0.2, deadline - time.time())))
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            output += chunk
        return True

    for step in steps:
        if "write" in step:
            os.write(fd, step["write"].encode("utf-8"))
        elif "expect" in step:
            deadline = time.time() + step.get("timeout", 30)
            pattern = re.compile(step["expect"].encode("utf-8"), re.S)
            while True:
                match = pattern.search(output, mark)
                if match:
                    mark = match.end()
                    break
                if time.time() > deadline or not pump(deadline):
                    failed = step
                    break
            if failed:
                break
        elif "exit" in step:
            deadline = time.time() + step["exit"]
            while time.time() < deadline:
                done, code = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = os.waitstatus_to_exitcode(code)
                    break
                pump(time.time() + 0.2)
            if status is None:
                failed = step
                break
            while pump(time.time() + 0.2):
                pass

    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    print(json.dumps({"output": output.decode("utf-8", "replace"), "exit": status, "failed": failed}))


main()
