# Shared by the benchmark scripts (run.sh, load.sh, scan.sh, ocsp.sh, acme.sh, workload.sh); sourced, not run.
# The sourcing script sets `script` (its name, for messages) and `here` (its directory) first.

root="$(dirname "$here")"
out="$here/target"
jar="$out/benchmarks.jar"

die() {
    echo "$script: $*" >&2
    exit 1
}

# Sets `java` to a JDK 25 or newer: $JAVA_HOME's, else the one on PATH.
find_java() {
    if [[ -n "${JAVA_HOME:-}" ]]; then
        java="$JAVA_HOME/bin/java"
    else
        java="$(command -v java || true)"
    fi
    [[ -n "$java" && -x "$java" ]] || die "no java found; set JAVA_HOME to a JDK 25 or newer"
    local major
    major="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
    [[ "${major:-0}" -ge 25 ]] 2>/dev/null \
        || die "$java is Java ${major:-unknown}; Certwright needs JDK 25 or newer (set JAVA_HOME)"
}

# ensure_package COMMAND PACKAGE WHY: installs Debian's PACKAGE when COMMAND is missing and this runs as
# root, else stops saying WHY it is needed.
ensure_package() {
    local command="$1" package="$2" why="$3"
    command -v "$command" >/dev/null 2>&1 && return 0
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "== installing $package ($command is missing)" >&2
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "$package" >&2; then
            DEBIAN_FRONTEND=noninteractive apt-get update >&2 && \
                DEBIAN_FRONTEND=noninteractive apt-get install -y "$package" >&2 || \
                die "apt-get install -y $package failed"
        fi
    else
        die "$command is needed $why; install Debian's $package (sudo apt-get install $package)" \
            "or run this script as root so it can do so"
    fi
}

# Builds the benchmark jar when it is missing or older than any source, pom or resource.
build_jar_if_stale() {
    if [[ -f "$jar" ]] && [[ -z "$(find "$root" -path "$root/*/target" -prune -o \( -name '*.java' \
            -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]]; then
        return 0
    fi
    echo "== building $(basename "$jar") (missing or older than the sources)" >&2
    (cd "$root" && ./mvnw -B -q -pl certwright-bench -am package -DskipTests) || die "the build failed"
}
