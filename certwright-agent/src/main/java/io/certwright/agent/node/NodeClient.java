package io.certwright.agent.node;

import java.util.List;

/// The server's node API, as the agent uses it.
///
/// Apart from [#attest] (authenticated by a one-time join token) and [#bundle], calls are authenticated by the
/// agent's own X.509 SVID over mutual TLS. Implementations are thread-safe.
public interface NodeClient {

    /// `POST /api/v1/node/attest`: redeems a join token for the agent's first SVID. No client certificate.
    ///
    /// @param joinToken the one-time token an operator created for this node
    /// @param csrDer a PKCS#10 request for the agent's key
    /// @throws NodeException [NodeException.Kind#DENIED] when the token is unknown, used or expired
    AgentIdentity attest(String joinToken, byte[] csrDer) throws NodeException;

    /// `POST /api/v1/node/renew`: a fresh agent SVID for a new key, authenticated by the current one.
    AgentIdentity renewAgent(byte[] csrDer) throws NodeException;

    /// `GET /api/v1/node/entries`: the registration entries delegated to this agent.
    EntrySnapshot entries() throws NodeException;

    /// `POST /api/v1/node/svids`: signs a batch of workload SVIDs.
    ///
    /// The answer holds one [SignedSvid] per request the server signed; a request it refused (the entry was
    /// deleted or is no longer delegated to this agent) is simply absent, and the agent retries it at its next
    /// refresh, after re-reading the entries.
    List<SignedSvid> signX509Svids(List<SvidRequest> requests) throws NodeException;

    /// `POST /api/v1/node/jwt-svid`: a JWT-SVID for the entry's SPIFFE ID and the audience, as compact JWS.
    String signJwtSvid(String entryId, List<String> audience) throws NodeException;

    /// `GET /api/v1/node/bundle`: the trust bundle of the server's trust domain.
    Bundle bundle() throws NodeException;
}
