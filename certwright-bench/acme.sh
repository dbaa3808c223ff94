#!/usr/bin/env bash
# ACME benchmark: completed orders per second (newOrder -> http-01 validation on loopback -> finalize ->
# certificate download) and p50/p99 order latency at concurrency 1 and 16, for Certwright's ACME server
# (provisioner `default`) on SQLite, on PostgreSQL (an embedded server) and Debian's `pebble` test server,
# all driven in one run by the same load generator, plus the Certwright/pebble ratios at the highest
# level. Prints a Markdown report and writes it to certwright-bench/target/acme-report.md; exits non-zero
# when a server could not be measured or any order failed.
#
#   certwright-bench/acme.sh
#   ACME_TARGETS=pebble certwright-bench/acme.sh      # one server only
#
# Builds the benchmark jar when it is missing or older than the sources, and installs Debian's pebble
# (with pebble-challtestsrv, the DNS server that resolves every name to 127.0.0.1) when it is missing and
# this runs as root. Makes pebble's HTTPS certificate with openssl for each run. Takes about 3 minutes.
#
# Environment:
#   JAVA_HOME             JDK 25 or newer (else `java` on PATH)
#   ACME_TARGETS          any of certwright-sqlite,certwright-postgres,pebble (default: all three)
#   ACME_LEVELS           concurrency levels (default: 1,16)
#   ACME_WARMUP           seconds of warm-up per level (default: 5)
#   ACME_MEASURE          seconds measured per level (default: 15)
#   ACME_SERVER_WARMUP    seconds each server is warmed up at the highest level first (default: 10)
#   ACME_POLL_MS          interval between authorization and order polls, for every server (default: 10)
#   ACME_ORDERS           CSRs made beforehand, the most orders one server may complete in the run
#                         (default: 20000)
#   ACME_REPORT           where to write the report (default: certwright-bench/target/acme-report.md)
#
# Run it on an otherwise idle machine: the report records the load average before and after.
set -euo pipefail

script=acme.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
work="$out/acme"
report="${ACME_REPORT:-$out/acme-report.md}"

find_java

ensure_package pebble pebble "as the comparison ACME server"
ensure_package pebble-challtestsrv pebble "as the benchmark's DNS server"
ensure_package openssl openssl "to make pebble's HTTPS certificate"

build_jar_if_stale

rm -rf "$work"
mkdir -p "$work/pebble-tls"

# pebble's HTTPS listener: a self-signed P-256 certificate for 127.0.0.1, made for this run only.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/CN=pebble benchmark listener" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$work/pebble-tls/key.pem" -out "$work/pebble-tls/cert.pem" 2>"$work/pebble-tls/openssl.log" \
    || die "openssl could not make pebble's certificate; see $work/pebble-tls/openssl.log"

pebble_version="$(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo '?')"

# Progress goes to stderr; the libraries' own logging (embedded PostgreSQL) to generator.log.
status=0
"$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -cp "$jar" io.certwright.bench.AcmeLoad --work "$work" --report "$report" \
    --pebble-dir "$work/pebble-tls" --pebble-version "$pebble_version" \
    --targets "${ACME_TARGETS:-certwright-sqlite,certwright-postgres,pebble}" --levels "${ACME_LEVELS:-1,16}" \
    --warmup "${ACME_WARMUP:-5}" --measure "${ACME_MEASURE:-15}" --server-warmup "${ACME_SERVER_WARMUP:-10}" \
    --poll-ms "${ACME_POLL_MS:-10}" --orders "${ACME_ORDERS:-20000}" >"$work/generator.log" || status=$?
if [[ -f "$report" && "$report" -nt "$work/pebble-tls/cert.pem" ]]; then
    cat "$report"
fi
if [[ "$status" -ne 0 ]]; then
    tail -n 30 "$work/generator.log" >&2
    die "the benchmark failed (exit status $status); see the report and $work/generator.log"
fi
