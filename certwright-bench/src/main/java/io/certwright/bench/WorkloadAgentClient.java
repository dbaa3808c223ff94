package io.certwright.bench;

import io.certwright.agent.AgentConfig;
import io.certwright.agent.node.HttpNodeClient;
import io.certwright.agent.node.NodeClientFactory;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/// How the workload benchmark configures the agent and reaches the server: the agent's production HTTPS node
/// client, trusting the benchmark server's root, and the agent settings the benchmark varies. Everything
/// that depends on the agent's configuration API is here.
final class WorkloadAgentClient {

    private WorkloadAgentClient() {
    }

    /// The node clients of an agent whose server certificate chains to `root`.
    static NodeClientFactory nodeClients(X509Certificate root) {
        return HttpNodeClient.factory(List.of(root));
    }

    /// The agent's configuration: join token, refresh and wake-up intervals, batch size; defaults otherwise.
    static AgentConfig config(URI server, Path socket, Path dataDir, String joinToken, Duration refresh,
            Duration sync, int batch) {
        return AgentConfig.builder(server, socket, dataDir)
                .joinToken(joinToken)
                .refreshInterval(refresh)
                .syncInterval(sync)
                .batchSize(batch)
                .build();
    }
}
