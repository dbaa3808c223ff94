package io.certwright.agent.attestation;

/// The credentials of the process at the other end of a Unix domain socket, as the kernel recorded them when
/// it connected (`SO_PEERCRED`).
///
/// @param pid the process id
/// @param uid the effective user id
/// @param gid the effective primary group id
public record PeerCredentials(int pid, int uid, int gid) {
}
