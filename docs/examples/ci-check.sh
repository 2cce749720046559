#!/bin/sh
# wsdoctor in any CI system (docs/ci.md): check every endpoint of a targets file and lint the proxy
# configurations, writing JUnit XML and SARIF for the CI to show. POSIX sh; no bash needed.
#
#   docs/examples/ci-check.sh TARGETS_FILE [nginx:FILE | haproxy:FILE]...
#
# Environment:
#   WSDOCTOR   the command to run (default: wsdoctor; e.g. "dotnet /opt/wsdoctor/wsdoctor.dll")
#   REPORTS    where the reports go (default: reports)
#   PARALLEL   targets checked at once (default: 4)
#   SRCROOT    the directory SARIF file paths are relative to (default: the current directory)
#
# Exit status: 0 when every target passed (warnings allowed) and no lint error was found, 1 when a target failed or
# a configuration has an error-level finding, 2 for a usage mistake (bad targets line, unreadable file).
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 TARGETS_FILE [nginx:FILE | haproxy:FILE]..." >&2
    exit 2
fi

targets=$1
shift
wsdoctor=${WSDOCTOR:-wsdoctor}
reports=${REPORTS:-reports}
parallel=${PARALLEL:-4}
srcroot=${SRCROOT:-.}
mkdir -p "$reports" || exit 2
status=0

# Collects the worst outcome: 2 (usage) beats 1 (findings) beats 0.
record() {
    case $1 in
        0) ;;
        1) [ "$status" -eq 0 ] && status=1 ;;
        *) status=2 ;;
    esac
}

# $wsdoctor is split into words on purpose: it may be "dotnet path/wsdoctor.dll".
# The text report goes to the job log; the JUnit file is what the CI's test view reads.
$wsdoctor check --targets "$targets" --parallel "$parallel" --format junit --output "$reports/wsdoctor-check.xml"
record $?

for config in "$@"; do
    program=${config%%:*}
    file=${config#*:}
    case $program in
        nginx | haproxy) ;;
        *)
            echo "$0: '$config' is not nginx:FILE or haproxy:FILE" >&2
            status=2
            continue
            ;;
    esac
    name=$(basename "$file")
    $wsdoctor lint "$program" "$file" --format sarif --sarif-base "$srcroot" >"$reports/wsdoctor-lint-$program-$name.sarif"
    record $?
done

exit "$status"
