package io.certwright.agent;

import io.certwright.agent.attestation.UnixWorkloadAttestor;
import io.certwright.agent.attestation.WorkloadAttestor;
import io.certwright.agent.cache.AgentState;
import io.certwright.agent.cache.JwtSvids;
import io.certwright.agent.cache.RotationSettings;
import io.certwright.agent.cache.StateStore;
import io.certwright.agent.cache.SvidCache;
import io.certwright.agent.cache.SvidManager;
import io.certwright.agent.files.SvidFileWriter;
import io.certwright.agent.node.AgentSvid;
import io.certwright.agent.node.NodeClient;
import io.certwright.agent.node.NodeClientFactory;
import io.certwright.agent.workloadapi.WorkloadApiServer;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The node agent: loads its state from the data directory, serves the Workload API on its socket at once
/// (from the persisted cache, if any), then keeps the SVIDs fresh with the server.
///
/// ```java
/// AgentConfig config = AgentConfig.builder(URI.create("https://ca.internal:8443"),
///         Path.of("/run/certwright/agent.sock"), Path.of("/var/lib/certwright-agent"))
///     .joinToken(token).build();
/// try (CertwrightAgent agent = new CertwrightAgent(config, HttpNodeClient.factory(serverRoots))) {
///     agent.start();
///     ...
/// }
/// ```
public final class CertwrightAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CertwrightAgent.class);

    private final AgentConfig config;
    private final NodeClientFactory clients;
    private final WorkloadAttestor attestor;
    private @Nullable SvidManager manager;
    private @Nullable SvidCache cache;
    private @Nullable WorkloadApiServer server;
    private @Nullable SvidFileWriter files;
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable ScheduledFuture<?> loop;

    /// An agent with the `unix` workload attestor of this host.
    public CertwrightAgent(AgentConfig config, NodeClientFactory clients) {
        this(config, clients, UnixWorkloadAttestor.system());
    }

    /// An agent with the given workload attestor.
    public CertwrightAgent(AgentConfig config, NodeClientFactory clients, WorkloadAttestor attestor) {
        this.config = Objects.requireNonNull(config, "config");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.attestor = Objects.requireNonNull(attestor, "attestor");
    }

    /// Starts serving and refreshing.
    ///
    /// @throws IOException when the state cannot be read or the socket cannot be bound
    /// @throws IllegalStateException when there is neither a saved agent SVID nor a join token
    public synchronized void start() throws IOException {
        if (manager != null) {
            throw new IllegalStateException("agent already started");
        }
        StateStore store = new StateStore(config.dataDir());
        AgentState state = store.load();
        if (state.agent().isEmpty() && config.joinToken().isEmpty()) {
            throw new IllegalStateException("no agent SVID in " + store.file() + " and no join token: start the "
                    + "agent with a join token (certwright agent token create --node NAME)");
        }
        SvidCache c = new SvidCache(state.cache());
        SvidManager[] holder = new SvidManager[1];
        NodeClient client = clients.create(config.serverUrl(),
                () -> holder[0] == null ? Optional.<AgentSvid>empty() : holder[0].agentSvid());
        SvidManager m = new SvidManager(client, c, store, state, config.clock(), new SecureRandom(),
                new RotationSettings(config.refreshInterval(), config.backoff(), config.batchSize()),
                config.joinToken());
        holder[0] = m;
        cache = c;
        manager = m;
        if (config.svidFiles().isPresent()) {
            SvidFileWriter w = new SvidFileWriter(config.svidFiles().get());
            w.start(c);
            files = w;
        }
        WorkloadApiServer s = new WorkloadApiServer(config.socketPath(), config.maxInboundMessageBytes(), c,
                new JwtSvids(client, config.clock()), attestor, config.clock());
        s.start();
        server = s;
        m.sync();
        if (!config.syncInterval().isZero()) {
            ScheduledExecutorService sch = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "certwright-agent-sync");
                t.setDaemon(true);
                return t;
            });
            long millis = config.syncInterval().toMillis();
            loop = sch.scheduleWithFixedDelay(m::sync, millis, millis, TimeUnit.MILLISECONDS);
            scheduler = sch;
        }
        LOG.info("agent started: {}", config);
    }

    /// Does the work that is due now (renewals, refreshes), as the background loop would.
    public void syncNow() {
        started().sync();
    }

    /// The cache the Workload API serves.
    public SvidCache cache() {
        SvidCache c = cache;
        if (c == null) {
            throw new IllegalStateException("agent not started");
        }
        return c;
    }

    /// The agent's own SVID, once attested.
    public Optional<AgentSvid> agentSvid() {
        return started().agentSvid();
    }

    /// Consecutive failed passes (0 while the server answers).
    public int consecutiveFailures() {
        return started().consecutiveFailures();
    }

    private SvidManager started() {
        SvidManager m = manager;
        if (m == null) {
            throw new IllegalStateException("agent not started");
        }
        return m;
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.cancel(false);
            loop = null;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (files != null) {
            files.close();
            files = null;
        }
    }
}
