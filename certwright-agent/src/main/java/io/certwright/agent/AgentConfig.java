package io.certwright.agent;

import io.certwright.agent.cache.Backoff;
import io.certwright.agent.files.SvidFileOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/// Everything a [CertwrightAgent] needs to know. Build one with [#builder].
///
/// @param serverUrl the server's base URL, such as `https://ca.internal:8443`
/// @param joinToken the one-time token to attest with when the data directory holds no agent SVID (or it
///     expired); never printed
/// @param socketPath the Workload API's Unix socket
/// @param dataDir where the agent keeps its SVID, key and cache across restarts (mode 0700)
/// @param svidFiles whether and where to write one SVID as PEM files
/// @param refreshInterval how often the registration entries and the bundle are re-read
/// @param syncInterval how often the agent wakes to do due work; [Duration#ZERO] for none, leaving it to
///     whoever embeds the agent to call [CertwrightAgent#syncNow]
/// @param backoff waits after consecutive failures to reach the server
/// @param batchSize the largest number of SVIDs asked for in one call
/// @param maxInboundMessageBytes the largest Workload API request accepted
/// @param clock the time source of renewal and validation
public record AgentConfig(URI serverUrl, Optional<String> joinToken, Path socketPath, Path dataDir,
        Optional<SvidFileOptions> svidFiles, Duration refreshInterval, Duration syncInterval, Backoff backoff,
        int batchSize, int maxInboundMessageBytes, Clock clock) {

    /// Default limit on Workload API requests: 64 KiB.
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 64 * 1024;

    public AgentConfig {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(joinToken, "joinToken");
        Objects.requireNonNull(socketPath, "socketPath");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(svidFiles, "svidFiles");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(clock, "clock");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive: " + refreshInterval);
        }
        if (syncInterval.isNegative()) {
            throw new IllegalArgumentException("syncInterval must not be negative: " + syncInterval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
        if (maxInboundMessageBytes < 1024) {
            throw new IllegalArgumentException("maxInboundMessageBytes must be at least 1024: " + maxInboundMessageBytes);
        }
        if (joinToken.isPresent() && joinToken.get().isBlank()) {
            throw new IllegalArgumentException("joinToken must not be blank");
        }
    }

    /// A builder with the defaults: no join token, no files, entries every 5 s, a pass every second, backoff
    /// 1 s to 60 s, batches of 500, 64 KiB requests, the system clock.
    public static Builder builder(URI serverUrl, Path socketPath, Path dataDir) {
        return new Builder(serverUrl, socketPath, dataDir);
    }

    @Override
    public String toString() {
        return "AgentConfig[serverUrl=" + serverUrl + ", joinToken=" + (joinToken.isPresent() ? "<set>" : "<none>")
                + ", socketPath=" + socketPath + ", dataDir=" + dataDir + ", svidFiles=" + svidFiles
                + ", refreshInterval=" + refreshInterval + ", syncInterval=" + syncInterval + ", backoff=" + backoff
                + ", batchSize=" + batchSize + ", maxInboundMessageBytes=" + maxInboundMessageBytes
                + ", clock=" + clock + "]";
    }

    /// Builds an [AgentConfig].
    public static final class Builder {
        private final URI serverUrl;
        private final Path socketPath;
        private final Path dataDir;
        private Optional<String> joinToken = Optional.empty();
        private Optional<SvidFileOptions> svidFiles = Optional.empty();
        private Duration refreshInterval = Duration.ofSeconds(5);
        private Duration syncInterval = Duration.ofSeconds(1);
        private Backoff backoff = Backoff.DEFAULT;
        private int batchSize = 500;
        private int maxInboundMessageBytes = DEFAULT_MAX_INBOUND_MESSAGE_BYTES;
        private Clock clock = Clock.systemUTC();

        private Builder(URI serverUrl, Path socketPath, Path dataDir) {
            this.serverUrl = serverUrl;
            this.socketPath = socketPath;
            this.dataDir = dataDir;
        }

        public Builder joinToken(String token) {
            this.joinToken = Optional.of(token);
            return this;
        }

        public Builder svidFiles(SvidFileOptions options) {
            this.svidFiles = Optional.of(options);
            return this;
        }

        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = interval;
            return this;
        }

        public Builder syncInterval(Duration interval) {
            this.syncInterval = interval;
            return this;
        }

        public Builder backoff(Backoff b) {
            this.backoff = b;
            return this;
        }

        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        public Builder maxInboundMessageBytes(int bytes) {
            this.maxInboundMessageBytes = bytes;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(serverUrl, joinToken, socketPath, dataDir, svidFiles, refreshInterval,
                    syncInterval, backoff, batchSize, maxInboundMessageBytes, clock);
        }
    }
}
