package io.certwright.agent;

import static io.certwright.agent.AgentHarness.mySelector;
import static io.certwright.agent.TestNodeServer.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.agent.cache.StateStore;
import io.certwright.testing.MutableClock;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.WorkloadApiClient;
import io.spiffe.workloadapi.Watcher;
import io.spiffe.workloadapi.X509Context;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The agent across restarts, outages and the life of its own SVID.
class AgentLifecycleTest {

    private static final Duration TTL = Duration.ofHours(1);

    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private TestNodeServer server;
    private AgentHarness harness;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestNodeServer(clock);
        server.addJoinToken("join-1");
        server.entries(entry("api", "spiffe://example.org/api", TTL, mySelector()));
        harness = new AgentHarness(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private BigInteger servedSerial() throws Exception {
        WorkloadApiClient client = harness.spiffeClient();
        try {
            return client.fetchX509Context().getDefaultSvid().getLeaf().getSerialNumber();
        } finally {
            client.close();
        }
    }

    @Test
    void restartedAgentServesItsPersistedSvidAtOnceEvenWhileTheServerIsDown() throws Exception {
        CertwrightAgent first = harness.start(server, b -> b.joinToken("join-1"));
        BigInteger served = servedSerial();
        first.close();
        server.available(false);

        CertwrightAgent second = harness.start(server, b -> b);

        assertThat(servedSerial()).isEqualTo(served);
        assertThat(second.agentSvid()).isPresent();
        assertThat(server.attestations.get()).isEqualTo(1);
        assertThat(Files.getPosixFilePermissions(harness.dataDir.resolve(StateStore.FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(harness.dataDir))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void duringAnOutageCachedSvidsKeepBeingServedEvenPastExpiryAndAreRenewedOnRecovery() throws Exception {
        server.agentTtl(Duration.ofHours(24));
        CertwrightAgent agent = harness.start(server, b -> b.joinToken("join-1"));
        BigInteger before = servedSerial();
        server.available(false);

        clock.advance(Duration.ofMinutes(40));
        agent.syncNow();
        assertThat(agent.consecutiveFailures()).isEqualTo(1);
        assertThat(servedSerial()).isEqualTo(before);

        clock.advance(Duration.ofHours(2));
        agent.syncNow();
        assertThat(agent.consecutiveFailures()).isEqualTo(2);
        assertThat(servedSerial()).as("expired but still served").isEqualTo(before);

        server.available(true);
        clock.advance(Duration.ofMinutes(2));
        agent.syncNow();

        assertThat(agent.consecutiveFailures()).isZero();
        assertThat(servedSerial()).isNotEqualTo(before);
    }

    @Test
    void retriesWaitABackoffSoTheServerIsNotCalledAgainBeforeItElapses() throws Exception {
        CertwrightAgent agent = harness.start(server, b -> b.joinToken("join-1")
                .backoff(new io.certwright.agent.cache.Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60))));
        server.available(false);
        clock.advance(Duration.ofSeconds(6));
        agent.syncNow();
        int calls = server.calls.get();

        agent.syncNow();
        assertThat(server.calls.get()).as("no call within the backoff").isEqualTo(calls);

        clock.advance(Duration.ofSeconds(11));
        agent.syncNow();
        assertThat(server.calls.get()).isGreaterThan(calls);
    }

    @Test
    void agentSvidIsRenewedWithItselfAtHalfLifeWithoutAnotherJoinToken() throws Exception {
        CertwrightAgent agent = harness.start(server, b -> b.joinToken("join-1"));
        BigInteger first = agent.agentSvid().orElseThrow().identity().leaf().getSerialNumber();

        clock.advance(Duration.ofMinutes(40));
        agent.syncNow();

        assertThat(agent.agentSvid().orElseThrow().identity().leaf().getSerialNumber()).isNotEqualTo(first);
        assertThat(server.attestations.get()).isEqualTo(1);
    }

    @Test
    void expiredAgentSvidIsReplacedByAttestingAgainWhenAJoinTokenIsConfigured() throws Exception {
        CertwrightAgent agent = harness.start(server, b -> b.joinToken("join-1"));
        server.available(false);
        clock.advance(Duration.ofHours(3));
        agent.syncNow();
        server.available(true);
        server.addJoinToken("join-1");
        clock.advance(Duration.ofMinutes(2));

        agent.syncNow();

        assertThat(server.attestations.get()).isEqualTo(2);
        assertThat(agent.agentSvid().orElseThrow().identity().leaf().getNotAfter().toInstant())
                .isAfter(clock.instant());
    }

    @Test
    void expiredAgentSvidWithoutJoinTokenStopsCallingTheServerAndKeepsServing() throws Exception {
        harness.start(server, b -> b.joinToken("join-1")).close();
        BigInteger served;
        clock.advance(Duration.ofHours(3));
        CertwrightAgent restarted = harness.start(server, b -> b);
        int calls = server.calls.get();

        restarted.syncNow();
        clock.advance(Duration.ofMinutes(5));
        restarted.syncNow();

        assertThat(server.calls.get()).isEqualTo(calls);
        served = servedSerial();
        assertThat(served).isNotNull();
    }

    @Test
    void agentWithoutSavedStateOrJoinTokenRefusesToStartAndSaysWhatToDo() {
        assertThatThrownBy(() -> harness.start(server, b -> b))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("join token")
                .hasMessageContaining("certwright agent token create");
    }

    @Test
    void entryAddedOnTheServerIsPushedToTheOpenStream() throws Exception {
        CertwrightAgent agent = harness.start(server, b -> b.joinToken("join-1"));
        List<X509Context> updates = new CopyOnWriteArrayList<>();
        WorkloadApiClient client = harness.spiffeClient();
        client.watchX509Context(new Watcher<>() {
            @Override
            public void onUpdate(X509Context update) {
                updates.add(update);
            }

            @Override
            public void onError(Throwable error) {
            }
        });
        AgentHarness.await("first update", Duration.ofSeconds(30), () -> !updates.isEmpty());

        server.entries(entry("api", "spiffe://example.org/api", TTL, mySelector()),
                entry("metrics", "spiffe://example.org/metrics", TTL, mySelector()));
        clock.advance(Duration.ofSeconds(6));
        agent.syncNow();

        AgentHarness.await("an update with both SVIDs", Duration.ofSeconds(30),
                () -> updates.getLast().getX509Svids().size() == 2);
        assertThat(updates.getLast().getX509Svids()).extracting(X509Svid::getSpiffeId)
                .extracting(Object::toString)
                .containsExactly("spiffe://example.org/api", "spiffe://example.org/metrics");
    }
}
