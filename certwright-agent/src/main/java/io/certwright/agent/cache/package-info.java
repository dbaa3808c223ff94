/// The agent's SVID cache and the work that keeps it fresh: the registration entries delegated to the agent,
/// one X.509 SVID per entry with a key made on this node, the trust bundle, renewal at half-life with
/// jitter, retries with backoff while the server is away, and the state kept on disk across restarts.
///
/// Readers see one immutable [CacheSnapshot] at a time; every change publishes a new snapshot to the
/// subscribers of the [SvidCache].
@NullMarked
package io.certwright.agent.cache;

import org.jspecify.annotations.NullMarked;
