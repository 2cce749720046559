#!/usr/bin/env python3
"""Sums the TRX files in a folder into one line: `tests: N passed, N failed[, N skipped]`.

Names the failed tests first, each with the start of its message, so a CI log that keeps only its
end still shows what broke. A test run whose host crashed or
hung counts as one failed test. Exits 1 if a test failed, a TRX file is unreadable, or no test
ran (an empty folder included); 0 otherwise.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILED = ("failed", "error", "timeout", "aborted", "disconnected")
PASSED = ("passed", "passedButRunAborted")
NOT_RUN = ("notExecuted", "notRunnable", "inconclusive", "pending")
FAILED_OUTCOMES = {"Failed", "Error", "Timeout", "Aborted"}
# Run-level outcomes of a test host that went wrong (crash, hang kill).
BAD_RUN_OUTCOMES = {"Failed", "Error", "Timeout", "Aborted"}
# How much of a failed test's message is repeated under its name.
MESSAGE_LINES = 8
MESSAGE_WIDTH = 240


def message_start(result):
    """The first non-empty lines of a failed result's error message, shortened."""
    message = result.find("t:Output/t:ErrorInfo/t:Message", NS)
    if message is None or not message.text:
        return []
    lines = [line.rstrip() for line in message.text.splitlines() if line.strip()]
    shown = [line if len(line) <= MESSAGE_WIDTH else line[: MESSAGE_WIDTH - 1] + "…" for line in lines[:MESSAGE_LINES]]
    if len(lines) > MESSAGE_LINES:
        shown.append(f"… {len(lines) - MESSAGE_LINES} more lines in the log above")
    return shown


def counter(counters, name):
    try:
        return int(counters.get(name, "0"))
    except ValueError:
        return 0


def main(folder):
    passed = failed = skipped = 0
    problems = []
    for trx in sorted(Path(folder).rglob("*.trx")):
        try:
            root = ET.parse(trx).getroot()
        except ET.ParseError as error:
            problems.append(f"unreadable {trx.name}: {error}")
            continue
        summary = root.find("t:ResultSummary", NS)
        counters = summary.find("t:Counters", NS) if summary is not None else None
        if counters is None:
            problems.append(f"no counters in {trx.name}")
            continue
        file_failed = sum(counter(counters, name) for name in FAILED)
        passed += sum(counter(counters, name) for name in PASSED)
        failed += file_failed
        # VSTest's TRX logger leaves notExecuted at 0 for a skipped xunit test and counts it
        # only in total, not in executed.
        skipped += max(
            sum(counter(counters, name) for name in NOT_RUN),
            counter(counters, "total") - counter(counters, "executed"),
        )
        for result in root.iterfind("t:Results/t:UnitTestResult", NS):
            if result.get("outcome") in FAILED_OUTCOMES:
                print(f"FAILED {result.get('testName')} ({trx.stem})")
                for line in message_start(result):
                    print(f"    {line}")
        if summary.get("outcome") in BAD_RUN_OUTCOMES and not file_failed:
            # The test host crashed or was killed as hung: the test it was running has no
            # result, so count the run itself as one failure.
            print(f"ABORTED {trx.stem}: test host crashed or hung, see the log above")
            failed += 1

    for problem in problems:
        print(problem)
    if passed + failed == 0:
        print("no test ran")
    line = f"tests: {passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    return 1 if failed or problems or passed + failed == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} RESULTS_FOLDER")
    sys.exit(main(sys.argv[1]))
