#!/usr/bin/env bash
# Workload identity benchmark: one node agent with 1,000 and 10,000 registered workloads, each against a
# fresh Certwright server (a child process, SQLite). Measures the time from the agent's start until it holds
# all SVIDs, the time from a trust-bundle change (a new JWT-SVID signing key published on the server) until
# it has re-issued all of them, and the Workload API's FetchX509SVID latency (p50/p99) for a cached SVID
# over the agent's Unix socket. The reference, measured in the same run just before: the server load
# benchmark's REST issuance rate (Certwright on SQLite at concurrency 32) and the raw in-process P-256
# sign+verify rate. Prints a Markdown report and writes it to certwright-bench/target/workload-report.md.
#
#   certwright-bench/workload.sh
#   WORKLOAD_COUNTS=1000 certwright-bench/workload.sh       # one size only
#
# Builds the benchmark jar when it is missing or older than the sources. Takes about 5 minutes.
#
# Environment:
#   JAVA_HOME                 JDK 25 or newer (else `java` on PATH)
#   WORKLOAD_COUNTS           registered workloads per run (default: 1000,10000)
#   WORKLOAD_REFRESH_MS       the agent's refresh interval: entries and bundle re-read (default: 200)
#   WORKLOAD_SYNC_MS          the agent's wake-up interval (default: 100)
#   WORKLOAD_BATCH            CSRs per node-API call, at most 1000 (default: 500, the agent's default)
#   WORKLOAD_FETCHES          FetchX509SVID calls measured on one connection (default: 2000)
#   WORKLOAD_CONNECT_FETCHES  FetchX509SVID calls measured on a new connection each (default: 200)
#   WORKLOAD_REFERENCE        0 to skip the reference measurement (the report then has no ratio)
#   WORKLOAD_REPORT           where to write the report (default: certwright-bench/target/workload-report.md)
#
# Run it on an otherwise idle machine: the report records the load average before and after.
set -euo pipefail

script=workload.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
work="$out/workload"
report="${WORKLOAD_REPORT:-$out/workload-report.md}"

find_java
build_jar_if_stale

rm -rf "$work"
mkdir -p "$work"

jvm=("$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$jar")

# The reference: the server load benchmark, Certwright on SQLite at concurrency 32 only, and the raw rate.
args=(--work "$work" --report "$report" --counts "${WORKLOAD_COUNTS:-1000,10000}"
      --refresh-ms "${WORKLOAD_REFRESH_MS:-200}" --sync-ms "${WORKLOAD_SYNC_MS:-100}"
      --batch "${WORKLOAD_BATCH:-500}" --fetches "${WORKLOAD_FETCHES:-2000}"
      --connect-fetches "${WORKLOAD_CONNECT_FETCHES:-200}")
if [[ "${WORKLOAD_REFERENCE:-1}" != 0 ]]; then
    echo "== reference: server load benchmark, Certwright on SQLite at concurrency 32" >&2
    if ! "${jvm[@]}" io.certwright.bench.LoadGenerator --work "$work/reference" --report "$work/reference.md" \
            --targets sqlite --levels 32 >"$work/reference.log"; then
        tail -n 30 "$work/reference.log" >&2
        die "the reference measurement failed; see $work/reference.log"
    fi
    args+=(--reference "$work/reference.md")
fi

# Progress goes to stderr; the agent's log (INFO, one line per SVID) to agent.log.
status=0
"${jvm[@]}" io.certwright.bench.WorkloadLoad "${args[@]}" >"$work/agent.log" || status=$?
if [[ -f "$report" && "$report" -nt "$work" ]]; then
    cat "$report"
fi
if [[ "$status" -ne 0 ]]; then
    tail -n 30 "$work/agent.log" >&2
    die "the benchmark failed (exit status $status); see the report and $work/agent.log"
fi
