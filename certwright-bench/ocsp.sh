#!/usr/bin/env bash
# Revocation benchmark: OCSP responses per second for cached `good` answers over HTTP/1.1 keep-alive at
# concurrency 32 against the server's plain-HTTP revocation listener, with `GET /healthz` measured in the
# same run as the HTTP stack's ceiling, and the time and memory to regenerate a CRL of 100,000 revoked
# certificates through the real SQLite store and signer. Prints a Markdown report and writes it to
# certwright-bench/target/ocsp-report.md.
#
#   certwright-bench/ocsp.sh
#
# Builds the benchmark jar when it is missing or older than the sources. Takes about 4 minutes.
#
# Environment:
#   JAVA_HOME           JDK 25 or newer (else `java` on PATH)
#   OCSP_CONCURRENCY    workers, one keep-alive connection each (default: 32)
#   OCSP_WARMUP         seconds of warm-up per run (default: 5)
#   OCSP_MEASURE        seconds measured per run (default: 15)
#   OCSP_ROUNDS         alternating /healthz and OCSP runs (default: 2 of each)
#   CRL_ENTRIES         revoked certificates on the CRL (default: 100000)
#   CRL_ROUNDS          timed CRL publications (default: 3)
#   OCSP_REPORT         where to write the report (default: certwright-bench/target/ocsp-report.md)
#
# Run it on an otherwise idle machine: the report records the load average before and after.
set -euo pipefail

script=ocsp.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
work="$out/ocsp"
report="${OCSP_REPORT:-$out/ocsp-report.md}"

find_java

build_jar_if_stale

mkdir -p "$work"
if ! "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx1g \
        -cp "$jar" io.certwright.bench.OcspLoad --work "$work" --report "$report" \
        --concurrency "${OCSP_CONCURRENCY:-32}" --warmup "${OCSP_WARMUP:-5}" --measure "${OCSP_MEASURE:-15}" \
        --rounds "${OCSP_ROUNDS:-2}" --crl-entries "${CRL_ENTRIES:-100000}" --crl-rounds "${CRL_ROUNDS:-3}" \
        >"$work/generator.log"; then
    tail -n 30 "$work/generator.log" >&2
    die "the benchmark failed; see $work/generator.log"
fi
cat "$report"
