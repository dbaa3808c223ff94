/// Benchmarks. JMH benchmarks: how many certificates the CA issues per second, and how fast each crypto
/// provider signs and verifies on its own, so the two can be compared in one run on one machine. And the
/// server load generator ([io.certwright.bench.LoadGenerator]): issuances per second and latency of the
/// running server on SQLite and PostgreSQL against `cfssl serve`, under the same load.
///
/// Run them with `certwright-bench/run.sh` and `certwright-bench/load.sh`; the normal build only compiles
/// and packages them.
@NullMarked
package io.certwright.bench;

import org.jspecify.annotations.NullMarked;
