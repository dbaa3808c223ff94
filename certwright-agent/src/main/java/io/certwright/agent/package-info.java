/// The Certwright node agent: one per node, it attests the workloads that connect to its Unix socket and
/// serves them the SPIFFE Workload API, keeping their SVIDs fresh with the server's node API.
///
/// [CertwrightAgent] wires the parts together from an [AgentConfig]; it is meant to be embedded (the
/// `certwright agent` command builds one).
@NullMarked
package io.certwright.agent;

import org.jspecify.annotations.NullMarked;
