/// Workload attestation: what the agent learns about a process that connected to the Workload API socket,
/// expressed as [io.certwright.agent.node.Selector]s, and which registration entries those selectors match.
///
/// The kernel vouches for the process's pid, uid and gid (`SO_PEERCRED`, read when the connection is
/// accepted); the rest (user and group names, supplementary groups, the executable's path and SHA-256) is
/// read from `/proc/<pid>` and the user database.
@NullMarked
package io.certwright.agent.attestation;

import org.jspecify.annotations.NullMarked;
