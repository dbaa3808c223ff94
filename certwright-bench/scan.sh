#!/usr/bin/env bash
# TLS scan benchmark: starts 2,000 TLS endpoints on loopback in a child JVM (ScanTargets: one P-256
# certificate and listener each, served on virtual threads), then measures endpoints scanned per second by
# Certwright's TlsScanner (in the benchmark JVM) and by Debian's `nmap --script +ssl-cert` over the same
# ports in the same run, with the CPU time of each client process and of the endpoints' process, and prints
# the ratio as Markdown (also written to certwright-bench/target/scan-report.md).
#
#   certwright-bench/scan.sh
#
# Builds the benchmark jar when it is missing or older than the sources, and installs Debian's nmap when
# it is missing and this runs as root. Takes about 3 minutes on 2 cores.
#
# Environment:
#   JAVA_HOME          JDK 25 or newer (else `java` on PATH)
#   SCAN_ENDPOINTS     endpoints to start (default: 2000)
#   SCAN_CONCURRENCY   Certwright's handshakes in flight, a comma-separated list of levels each measured;
#                      the first is the one compared with nmap (default: 256,64,32)
#   SCAN_WARMUP        Certwright warm-up rounds per level, before any measured round (default: 3); nmap
#                      gets one warm-up round
#   SCAN_ROUNDS        measured Certwright rounds per level (default: 3)
#   SCAN_NMAP_ROUNDS   measured nmap rounds, interleaved with Certwright's (default: 3)
#   SCAN_REPORT        where to write the report (default: certwright-bench/target/scan-report.md)
#
# Run it on an otherwise idle machine: the report records the load average before and after, and the
# machine's busy cores during each round.
set -euo pipefail

script=scan.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
report="${SCAN_REPORT:-$out/scan-report.md}"

find_java

ensure_package nmap nmap "as the comparison scanner"

build_jar_if_stale
mkdir -p "$(dirname "$report")"

# 2,000 listeners plus the scanners' connections need more descriptors than the usual 1,024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

"$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$jar" \
    io.certwright.bench.ScanBenchmark --endpoints "${SCAN_ENDPOINTS:-2000}" \
    --concurrency "${SCAN_CONCURRENCY:-256,64,32}" --warmup "${SCAN_WARMUP:-3}" --rounds "${SCAN_ROUNDS:-3}" \
    --nmap-rounds "${SCAN_NMAP_ROUNDS:-3}" --report "$report" >/dev/null || die "the benchmark failed"
cat "$report"
