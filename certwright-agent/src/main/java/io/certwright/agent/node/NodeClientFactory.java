package io.certwright.agent.node;

import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/// Makes the [NodeClient] of an agent.
@FunctionalInterface
public interface NodeClientFactory {

    /// A client of the server at `serverUrl` that authenticates with whatever `credentials` holds at the time
    /// of each connection (empty before the agent first attests).
    NodeClient create(URI serverUrl, Supplier<Optional<AgentSvid>> credentials);
}
