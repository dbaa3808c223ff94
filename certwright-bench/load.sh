#!/usr/bin/env bash
# Server load benchmark: sustained certificate issuances per second and p50/p99 latency at concurrency 1,
# 8 and 32, for Certwright on SQLite, Certwright on PostgreSQL (an embedded server) and Debian's
# `cfssl serve` signing the same P-256 CSRs, plus the raw in-process P-256 sign+verify rate and the
# ratios. Prints a Markdown report and writes it to certwright-bench/target/load-report.md.
# cfssl runs twice, over plain HTTP (favours cfssl) and over HTTPS like Certwright.
#
#   certwright-bench/load.sh
#
# Builds the benchmark jar when it is missing or older than the sources, and installs Debian's
# golang-cfssl when `cfssl` is missing and this runs as root. Takes about 6 minutes.
#
# Environment:
#   JAVA_HOME            JDK 25 or newer (else `java` on PATH)
#   LOAD_LEVELS          concurrency levels (default: 1,8,32)
#   LOAD_WARMUP          seconds of warm-up per level (default: 5)
#   LOAD_MEASURE         seconds measured per level (default: 15)
#   LOAD_SERVER_WARMUP   seconds each server is warmed up at the highest level first (default: 10)
#   LOAD_TARGETS         any of sqlite,postgres,cfssl,cfssl-tls (default: all four)
#   LOAD_PROFILE         1 to record a JFR profile (CPU-time samples) of the SQLite server at the
#                        highest level and summarise it in the report; the recording stays in target/load/
#   LOAD_REPORT          where to write the report (default: certwright-bench/target/load-report.md)
#
# Run it on an otherwise idle machine: the report records the load average before and after.
set -euo pipefail

script=load.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
work="$out/load"
report="${LOAD_REPORT:-$out/load-report.md}"

find_java

ensure_package cfssl golang-cfssl "as the comparison server"
ensure_package cfssljson golang-cfssl "to prepare the comparison server's CA"

build_jar_if_stale

rm -rf "$work"
mkdir -p "$work/cfssl"

# cfssl's CA: P-256, made by cfssl itself; a 1-hour signing profile; a TLS certificate for cfssl-tls.
(
    cd "$work/cfssl"
    cat >ca-csr.json <<'JSON'
{"CN": "cfssl load benchmark CA", "key": {"algo": "ecdsa", "size": 256}, "names": [{"O": "bench"}]}
JSON
    cat >config.json <<'JSON'
{"signing": {"default": {"expiry": "1h", "usages": ["digital signature", "key encipherment", "server auth", "client auth"]}}}
JSON
    cat >tls-csr.json <<'JSON'
{"CN": "127.0.0.1", "key": {"algo": "ecdsa", "size": 256}}
JSON
    cfssl gencert -initca ca-csr.json 2>gencert.log | cfssljson -bare ca
    cfssl gencert -ca ca.pem -ca-key ca-key.pem -config config.json -hostname 127.0.0.1,localhost \
        tls-csr.json 2>>gencert.log | cfssljson -bare tls
) || die "cfssl could not create its CA; see $work/cfssl/gencert.log"

args=(--work "$work" --report "$report" --cfssl-dir "$work/cfssl"
      --levels "${LOAD_LEVELS:-1,8,32}" --warmup "${LOAD_WARMUP:-5}" --measure "${LOAD_MEASURE:-15}"
      --server-warmup "${LOAD_SERVER_WARMUP:-10}" --targets "${LOAD_TARGETS:-sqlite,postgres,cfssl,cfssl-tls}")
[[ "${LOAD_PROFILE:-0}" == 1 ]] && args+=(--profile)

# Progress goes to stderr; the libraries' own logging (embedded PostgreSQL) to generator.log.
if ! "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
        -cp "$jar" io.certwright.bench.LoadGenerator "${args[@]}" >"$work/generator.log"; then
    tail -n 30 "$work/generator.log" >&2
    die "the load generator failed; see $work/generator.log"
fi
cat "$report"
