/// Writing one SVID, its key and the trust bundle as PEM files for software that cannot speak the Workload
/// API (nginx, HAProxy, a JVM with a key store), and running a reload command after each rotation.
@NullMarked
package io.certwright.agent.files;

import org.jspecify.annotations.NullMarked;
