/// Workload identity: registration entries (which workload, recognised by which selectors on which node,
/// gets which SPIFFE ID), one-time join tokens that attest a node agent, the agents themselves, and the
/// server's JWT-SVID signing keys. The [WorkloadStore] port keeps the first three; join token secrets are
/// stored only as SHA-256 hashes.
@NullMarked
package io.certwright.ca.workload;

import org.jspecify.annotations.NullMarked;
