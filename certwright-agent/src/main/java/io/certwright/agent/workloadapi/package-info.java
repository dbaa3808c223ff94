/// The SPIFFE Workload API served over gRPC on a Unix domain socket.
///
/// [WorkloadApiServer] binds the socket; [PeerCredentialsNegotiator] records the kernel's credentials of each
/// connecting process; [WorkloadApiInterceptor] requires the `workload.spiffe.io: true` header and attests the
/// caller; [WorkloadApiService] answers from the SVID cache. [ProtoMapper] is the one place protobuf meets the
/// agent's types.
@NullMarked
package io.certwright.agent.workloadapi;

import org.jspecify.annotations.NullMarked;
