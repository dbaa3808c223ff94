#!/usr/bin/env bash
# Runs Certwright's benchmarks and the openssl reference on this machine, in one go, and prints a
# Markdown report (also written to certwright-bench/target/bench-report.md).
#
#   certwright-bench/run.sh
#
# Measures: certificate issuance per second (IssuanceBenchmark, 1 and 2 threads), raw sign+verify and
# sign-only per second for each provider (RawSignVerifyBenchmark: ACCP, Bouncy Castle, JDK), and
# `openssl speed` for the native reference. Takes about 7 minutes on a 2-core machine.
#
# Environment:
#   JAVA_HOME         JDK 25 or newer (else `java` on PATH)
#   BENCH_ISSUANCE_OPTS  JMH settings for issuance (default: -f 1 -wi 3 -w 3s -i 3 -r 3s; the issuance
#                        path needs a few seconds more warm-up than raw crypto before C2 has compiled it)
#   BENCH_RAW_OPTS       JMH settings for raw sign+verify (default: -f 1 -wi 2 -w 2s -i 3 -r 3s)
#   BENCH_SIGN_OPTS      JMH settings for raw sign-only   (default: -f 1 -wi 1 -w 2s -i 2 -r 2s)
#   BENCH_OPENSSL_SECONDS  seconds per openssl speed test (default: 3)
#
# Run it on an otherwise idle machine: the report records the load average before and after.
set -euo pipefail

script=run.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"

issuance_opts="${BENCH_ISSUANCE_OPTS:--f 1 -wi 3 -w 3s -i 3 -r 3s}"
raw_opts="${BENCH_RAW_OPTS:--f 1 -wi 2 -w 2s -i 3 -r 3s}"
sign_opts="${BENCH_SIGN_OPTS:--f 1 -wi 1 -w 2s -i 2 -r 2s}"
openssl_seconds="${BENCH_OPENSSL_SECONDS:-3}"

command -v python3 >/dev/null 2>&1 || die "python3 is needed to read JMH's JSON results; install it (e.g. apt-get install python3)"

find_java

build_jar_if_stale
mkdir -p "$out"

# Runs one JMH selection; JMH's own output goes to a log file, results to JSON.
jmh() {
    local name="$1" regex="$2" opts="$3"
    echo "== JMH $regex ($opts), log: target/jmh-$name.log" >&2
    # shellcheck disable=SC2086 # the options are meant to split into words
    if ! "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -jar "$jar" "$regex" $opts \
            -rf json -rff "$out/jmh-$name.json" >"$out/jmh-$name.log" 2>&1; then
        tail -n 30 "$out/jmh-$name.log" >&2
        die "JMH run '$name' failed; see target/jmh-$name.log"
    fi
    grep -h '^java.lang.UnsupportedOperationException: n/a:' "$out/jmh-$name.log" | sed 's/^[^:]*: /   /' | sort -u >&2 || true
}

start=$SECONDS
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
jmh issuance 'IssuanceBenchmark\.svid' "$issuance_opts"
jmh sign-verify 'RawSignVerifyBenchmark\.signAndVerify' "$raw_opts"
jmh sign-only 'RawSignVerifyBenchmark\.signOnly' "$sign_opts"

openssl_out="$out/openssl-speed.txt"
if command -v openssl >/dev/null 2>&1; then
    echo "== openssl speed -seconds $openssl_seconds ecdsap256 ed25519 rsa2048" >&2
    openssl speed -seconds "$openssl_seconds" ecdsap256 ed25519 rsa2048 >"$openssl_out" 2>/dev/null \
        || die "openssl speed failed"
    openssl version >"$out/openssl-version.txt"
else
    echo "== openssl not found: its column will read n/a" >&2
    : >"$openssl_out"
    echo "not installed" >"$out/openssl-version.txt"
fi
elapsed=$((SECONDS - start))
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "== measured in $elapsed s" >&2

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
cores="$(nproc 2>/dev/null || echo '?')"
java_version="$("$java" -version 2>&1 | head -n 2 | tail -n 1)"

CPU="${cpu:-unknown}" CORES="$cores" JAVA_VERSION="$java_version" ISSUANCE_OPTS="$issuance_opts" \
RAW_OPTS="$raw_opts" SIGN_OPTS="$sign_opts" OPENSSL_SECONDS="$openssl_seconds" ELAPSED="$elapsed" \
LOAD_BEFORE="$load_before" LOAD_AFTER="$load_after" python3 - "$out" <<'PY' | tee "$out/bench-report.md"
import json, os, re, sys

out = sys.argv[1]
KEYS = ["P256", "ED25519", "RSA2048", "MLDSA65"]
LABEL = {"P256": "ECDSA P-256", "ED25519": "Ed25519", "RSA2048": "RSA 2048", "MLDSA65": "ML-DSA-65"}
PROVIDERS = ["ACCP", "BC", "JDK"]
OPENSSL = {"P256": "nistp256", "ED25519": "Ed25519", "RSA2048": "rsa 2048 bits"}


def load(name):
    path = os.path.join(out, f"jmh-{name}.json")
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return []
    return json.loads(text) if text.strip() else []


def score(entry):
    m = entry["primaryMetric"]
    samples = [float(x) for fork in m.get("rawData", []) for x in fork]
    return float(m["score"]), samples


def fmt(v):
    if v is None:
        return "n/a"
    s, samples = v
    if len(samples) < 2:
        return f"{s:,.0f}"
    return f"{s:,.0f} ({min(samples):,.0f}–{max(samples):,.0f})"


issuance = {}
for r in load("issuance"):
    method = r["benchmark"].rsplit(".", 1)[1]
    issuance[(r["params"]["keyType"], method)] = score(r)
raw = {}
for name, key in (("sign-verify", "sv"), ("sign-only", "s")):
    for r in load(name):
        raw[(key, r["params"]["keyType"], r["params"]["provider"])] = score(r)

# Which provider the CA signed with, per key type, as IssuanceBenchmark printed it.
in_use = {}
try:
    with open(os.path.join(out, "jmh-issuance.log")) as f:
        for line in f:
            m = re.search(r"certwright-bench: issuing provider (\S+) (.+)$", line.strip())
            if m:
                p = m.group(2)
                in_use[m.group(1)] = "ACCP" if p.startswith("AmazonCorretto") else ("BC" if p == "BC" else "JDK")
except OSError:
    pass

openssl = {}
try:
    with open(os.path.join(out, "openssl-speed.txt")) as f:
        for line in f:
            for k, tag in OPENSSL.items():
                if tag in line:
                    nums = re.findall(r"\d+(?:\.\d+)?", line.split(tag, 1)[1].split(")", 1)[-1])
                    if len(nums) >= 2:
                        openssl[k] = (float(nums[-2]), float(nums[-1]))
except OSError:
    pass


def combined(sign, verify):
    return 1.0 / (1.0 / sign + 1.0 / verify)


with open(os.path.join(out, "openssl-version.txt")) as f:
    openssl_version = f.read().strip()

print("## Results\n")
print(f"Machine: {os.environ['CORES']} cores, {os.environ['CPU']}; {os.environ['JAVA_VERSION']}; {openssl_version}.")
print(f"Load average (1, 5, 15 min) before: {os.environ['LOAD_BEFORE']}, after: {os.environ['LOAD_AFTER']}; "
      f"measuring took {os.environ['ELAPSED']} s.")
print(f"JMH settings: issuance `{os.environ['ISSUANCE_OPTS']}`, sign+verify `{os.environ['RAW_OPTS']}`, "
      f"sign-only `{os.environ['SIGN_OPTS']}`; openssl: `speed -seconds {os.environ['OPENSSL_SECONDS']}`. "
      "Scores are operations per second: JMH's mean over the measurement iterations, (lowest–highest "
      "iteration) in brackets.\n")

print("### Issuance (SVID, CSR bytes to certificate bytes), certificates/s\n")
print("| key type | CA signs with | 1 thread | 2 threads |")
print("|---|---|---:|---:|")
for k in KEYS:
    print(f"| {LABEL[k]} | {in_use.get(k, '?')} | {fmt(issuance.get((k, 'svidOneThread')))} "
          f"| {fmt(issuance.get((k, 'svidTwoThreads')))} |")

print("\n### Raw sign + verify of a 512-byte message, 1 thread, operations/s\n")
print("| key type | ACCP | BC | JDK | openssl (1/(1/sign+1/verify)) |")
print("|---|---:|---:|---:|---:|")
for k in KEYS:
    cells = [fmt(raw.get(("sv", k, p))) for p in PROVIDERS]
    o = f"{combined(*openssl[k]):,.0f}" if k in openssl else "n/a"
    print(f"| {LABEL[k]} | " + " | ".join(cells) + f" | {o} |")

print("\n### Raw sign only, 1 thread, signatures/s\n")
print("| key type | ACCP | BC | JDK | openssl sign/s | openssl verify/s |")
print("|---|---:|---:|---:|---:|---:|")
for k in KEYS:
    cells = [fmt(raw.get(("s", k, p))) for p in PROVIDERS]
    o = (f"{openssl[k][0]:,.0f} | {openssl[k][1]:,.0f}") if k in openssl else "n/a | n/a"
    print(f"| {LABEL[k]} | " + " | ".join(cells) + f" | {o} |")

print("\nn/a: the provider does not offer the algorithm (openssl 3.0 has no ML-DSA).\n")

print("### Targets\n")
p = in_use.get("P256") or ("ACCP" if ("sv", "P256", "ACCP") in raw else "JDK")
iss = issuance.get(("P256", "svidOneThread"))
rawp = raw.get(("sv", "P256", p))


def verdict(ratio, target):
    if ratio >= target:
        return f"**met** ({ratio:.0%} ≥ {target:.0%})"
    return f"**missed** by {100 * (target - ratio):.0f} percentage points ({ratio:.0%} < {target:.0%})"


if iss and rawp:
    r1 = iss[0] / rawp[0]
    print(f"1. P-256 issuance at 1 thread / raw {p} P-256 sign+verify: {iss[0]:,.0f} / {rawp[0]:,.0f} = "
          f"{r1:.1%}; target ≥ 70%: {verdict(r1, 0.70)}")
else:
    print("1. P-256 issuance / raw sign+verify: n/a (a result is missing)")
if rawp and "P256" in openssl:
    o = combined(*openssl["P256"])
    r2 = rawp[0] / o
    print(f"2. raw {p} P-256 sign+verify / openssl ecdsap256 sign+verify: {rawp[0]:,.0f} / {o:,.0f} = "
          f"{r2:.1%}; target ≥ 80%: {verdict(r2, 0.80)}")
else:
    print("2. raw P-256 sign+verify / openssl: n/a (a result is missing)")
PY
