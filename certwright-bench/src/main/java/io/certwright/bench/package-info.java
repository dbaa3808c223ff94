/// JMH benchmarks: how many certificates the CA issues per second, and how fast each crypto provider
/// signs and verifies on its own, so the two can be compared in one run on one machine.
///
/// Run them with `certwright-bench/run.sh`; the normal build only compiles and packages them.
@NullMarked
package io.certwright.bench;

import org.jspecify.annotations.NullMarked;
