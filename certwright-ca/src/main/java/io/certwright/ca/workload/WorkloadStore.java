package io.certwright.ca.workload;

import io.certwright.core.SerialNumber;
import io.certwright.core.TrustDomain;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Port: registration entries, join tokens and node agents. Join token secrets are never stored, only
/// their hashes. Every write is durable when the method returns.
public interface WorkloadStore {

    /// Stores a new entry.
    ///
    /// @throws WorkloadException when an entry with this id exists, or storage fails
    void createEntry(RegistrationEntry entry) throws WorkloadException;

    Optional<RegistrationEntry> entry(String id) throws WorkloadException;

    /// Every entry, by id; only those whose parent text equals `parent` when given.
    List<RegistrationEntry> entries(Optional<String> parent) throws WorkloadException;

    /// The entries delegated to the agent of node `node` in trust domain `td`: those whose parent is that
    /// agent's SPIFFE ID and those with a node selector matching `node`, by id.
    List<RegistrationEntry> entriesFor(TrustDomain td, String node) throws WorkloadException;

    /// Deletes an entry; false when there is none with this id.
    boolean deleteEntry(String id) throws WorkloadException;

    /// Stores a new join token.
    ///
    /// @throws WorkloadException when a token with this id or secret hash exists, or storage fails
    void createJoinToken(JoinToken token) throws WorkloadException;

    /// Atomically consumes the join token with this secret hash: of any number of concurrent callers, even
    /// on several replicas, at most one ever gets [JoinAttempt.Consumed] for a token.
    JoinAttempt consumeJoinToken(String secretHash, Instant now) throws WorkloadException;

    /// Every join token, oldest first.
    List<JoinToken> joinTokens() throws WorkloadException;

    /// Creates or replaces the agent with this name, keeping it banned if it was.
    void saveAgent(AgentRecord agent) throws WorkloadException;

    Optional<AgentRecord> agent(String name) throws WorkloadException;

    /// Every agent, by name.
    List<AgentRecord> agents() throws WorkloadException;

    /// Records that the agent called at `at` (never moving `lastSeen` back); false when unknown.
    boolean touchAgent(String name, Instant at) throws WorkloadException;

    /// Records the agent's newest SVID; false when unknown.
    boolean recordAgentSvid(String name, SerialNumber serial, Instant at) throws WorkloadException;

    /// Bans the agent; returns it as banned, or empty when unknown. Banning twice is not an error.
    Optional<AgentRecord> banAgent(String name) throws WorkloadException;
}
