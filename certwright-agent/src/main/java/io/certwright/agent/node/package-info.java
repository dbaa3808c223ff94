/// The agent's view of the server's node API: what it calls to attest, renew its own SVID, learn the
/// registration entries delegated to it, have workload SVIDs signed and read the trust bundle.
///
/// [NodeClient] is the seam between the agent and the server; [HttpNodeClient] implements it over HTTPS
/// (mutual TLS with the agent SVID once attested). Every failure is a [NodeException] whose [NodeException.Kind] says
/// whether retrying can help.
@NullMarked
package io.certwright.agent.node;

import org.jspecify.annotations.NullMarked;
