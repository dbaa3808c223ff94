package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.access.Secret;
import io.certwright.ca.workload.AgentRecord;
import io.certwright.ca.workload.EntryParent;
import io.certwright.ca.workload.JoinAttempt;
import io.certwright.ca.workload.JoinToken;
import io.certwright.ca.workload.RegistrationEntry;
import io.certwright.ca.workload.Selector;
import io.certwright.ca.workload.WorkloadException;
import io.certwright.ca.workload.WorkloadStore;
import io.certwright.core.SerialNumber;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/// The contract every [WorkloadStore] must honour: entries stored and read back whole, found by parent and
/// by the agent they are delegated to; join tokens found only by the hash of their secret and consumed at
/// most once, even by concurrent callers; agents saved, touched and banned, a ban surviving re-attestation.
///
/// Extend it and implement [#newStore()].
public abstract class WorkloadStoreContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final TrustDomain TD = new TrustDomain("example.org");

    /// A new, empty store. Called once per test.
    protected abstract WorkloadStore newStore() throws Exception;

    private static RegistrationEntry entry(String id, String parent, String spiffeId) {
        return new RegistrationEntry(id, SpiffeId.parse(spiffeId), EntryParent.parse(parent),
                List.of(Selector.parse("unix:uid:1000"), Selector.parse("unix:path:/usr/bin/app"),
                        Selector.parse("unix:sha256:" + "ab".repeat(32))),
                Duration.ofHours(1), Duration.ofMinutes(5), List.of("api.internal"), false, 1, NOW);
    }

    private static JoinToken token(String id, String node, Secret secret, Instant expiresAt) {
        return new JoinToken(id, node, secret.hash(), NOW, expiresAt, Optional.empty());
    }

    private static AgentRecord agent(String name, long serial) {
        return new AgentRecord(name, EntryParent.agentId(TD, name), new SerialNumber(BigInteger.valueOf(serial)), NOW,
                NOW, false);
    }

    @Test
    void entryIsReadBackWhole() throws Exception {
        WorkloadStore store = newStore();
        RegistrationEntry e = new RegistrationEntry("ent_1", SpiffeId.parse("spiffe://example.org/ns/a/sa/b"),
                EntryParent.parse("certwright:node:web-*"), List.of(Selector.parse("unix:user:www-data"),
                Selector.parse("unix:gid:33")), Duration.ofMinutes(90), Duration.ofSeconds(301),
                List.of("a.example.org", "b.example.org"), true, 3, NOW);

        store.createEntry(e);

        assertThat(store.entry("ent_1")).contains(e);
        assertThat(store.entry("ent_2")).isEmpty();
    }

    @Test
    void creatingAnEntryWithATakenIdFails() throws Exception {
        WorkloadStore store = newStore();
        store.createEntry(entry("ent_1", "spiffe://example.org/certwright/agent/n1", "spiffe://example.org/a"));

        assertThatThrownBy(() -> store.createEntry(entry("ent_1", "spiffe://example.org/certwright/agent/n2",
                "spiffe://example.org/b"))).isInstanceOf(WorkloadException.class);
        assertThat(store.entry("ent_1").orElseThrow().spiffeId().toString()).isEqualTo("spiffe://example.org/a");
    }

    @Test
    void entriesAreListedByIdAndFilteredByExactParent() throws Exception {
        WorkloadStore store = newStore();
        store.createEntry(entry("ent_b", "spiffe://example.org/certwright/agent/n1", "spiffe://example.org/b"));
        store.createEntry(entry("ent_a", "spiffe://example.org/certwright/agent/n2", "spiffe://example.org/a"));
        store.createEntry(entry("ent_c", "spiffe://example.org/certwright/agent/n1", "spiffe://example.org/c"));

        assertThat(store.entries(Optional.empty())).extracting(RegistrationEntry::id)
                .containsExactly("ent_a", "ent_b", "ent_c");
        assertThat(store.entries(Optional.of("spiffe://example.org/certwright/agent/n1")))
                .extracting(RegistrationEntry::id).containsExactly("ent_b", "ent_c");
    }

    @Test
    void entriesForAnAgentAreItsOwnAndThoseOfMatchingNodeSelectorsOnly() throws Exception {
        WorkloadStore store = newStore();
        store.createEntry(entry("ent_1", "spiffe://example.org/certwright/agent/web-1", "spiffe://example.org/a"));
        store.createEntry(entry("ent_2", "spiffe://example.org/certwright/agent/web-2", "spiffe://example.org/b"));
        store.createEntry(entry("ent_3", "certwright:node:web-*", "spiffe://example.org/c"));
        store.createEntry(entry("ent_4", "certwright:node:db-*", "spiffe://example.org/d"));
        store.createEntry(entry("ent_5", "spiffe://other.org/certwright/agent/web-1", "spiffe://example.org/e"));

        assertThat(store.entriesFor(TD, "web-1")).extracting(RegistrationEntry::id).containsExactly("ent_1", "ent_3");
        assertThat(store.entriesFor(TD, "db-7")).extracting(RegistrationEntry::id).containsExactly("ent_4");
        assertThat(store.entriesFor(TD, "mail")).isEmpty();
    }

    @Test
    void deletedEntryIsGoneAndDeletingAgainReportsNothing() throws Exception {
        WorkloadStore store = newStore();
        store.createEntry(entry("ent_1", "spiffe://example.org/certwright/agent/n1", "spiffe://example.org/a"));

        assertThat(store.deleteEntry("ent_1")).isTrue();
        assertThat(store.deleteEntry("ent_1")).isFalse();
        assertThat(store.entry("ent_1")).isEmpty();
        assertThat(store.entries(Optional.empty())).isEmpty();
    }

    @Test
    void joinTokenIsConsumedOnceThenReportedAsUsed() throws Exception {
        WorkloadStore store = newStore();
        Secret secret = Secret.generate("cwj_");
        store.createJoinToken(token("jt_1", "node-1", secret, NOW.plus(Duration.ofHours(1))));

        JoinAttempt first = store.consumeJoinToken(secret.hash(), NOW.plusSeconds(5));
        JoinAttempt second = store.consumeJoinToken(secret.hash(), NOW.plusSeconds(6));

        assertThat(first).isInstanceOfSatisfying(JoinAttempt.Consumed.class, c -> {
            assertThat(c.token().node()).isEqualTo("node-1");
            assertThat(c.token().usedAt()).contains(NOW.plusSeconds(5));
        });
        assertThat(second).isInstanceOf(JoinAttempt.AlreadyUsed.class);
        assertThat(store.joinTokens()).singleElement().satisfies(t -> assertThat(t.usedAt()).contains(NOW.plusSeconds(5)));
    }

    @Test
    void expiredJoinTokenIsNotConsumed() throws Exception {
        WorkloadStore store = newStore();
        Secret secret = Secret.generate("cwj_");
        store.createJoinToken(token("jt_1", "node-1", secret, NOW.plus(Duration.ofHours(1))));

        assertThat(store.consumeJoinToken(secret.hash(), NOW.plus(Duration.ofHours(1))))
                .isInstanceOf(JoinAttempt.Expired.class);
        assertThat(store.joinTokens().getFirst().usedAt()).isEmpty();
    }

    @Test
    void joinTokenIsFoundByTheHashOfItsSecretOnly() throws Exception {
        WorkloadStore store = newStore();
        Secret secret = Secret.generate("cwj_");
        store.createJoinToken(token("jt_1", "node-1", secret, NOW.plus(Duration.ofHours(1))));

        assertThat(store.consumeJoinToken(secret.reveal(), NOW)).isInstanceOf(JoinAttempt.Unknown.class);
        assertThat(store.consumeJoinToken(Secret.generate("cwj_").hash(), NOW)).isInstanceOf(JoinAttempt.Unknown.class);
        assertThatThrownBy(() -> store.createJoinToken(token("jt_2", "node-2", secret, NOW.plusSeconds(60))))
                .isInstanceOf(WorkloadException.class);
    }

    @Test
    void concurrentConsumersOfOneJoinTokenLeaveExactlyOneWinner() throws Exception {
        WorkloadStore store = newStore();
        Secret secret = Secret.generate("cwj_");
        store.createJoinToken(token("jt_1", "node-1", secret, NOW.plus(Duration.ofHours(1))));
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<JoinAttempt>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> {
                start.await();
                return store.consumeJoinToken(secret.hash(), NOW);
            });
        }

        List<JoinAttempt> results = Concurrently.run(tasks, start);

        assertThat(results).filteredOn(r -> r instanceof JoinAttempt.Consumed).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof JoinAttempt.AlreadyUsed).hasSize(7);
    }

    @Test
    void agentIsSavedReplacedAndListedByName() throws Exception {
        WorkloadStore store = newStore();
        store.saveAgent(agent("web-2", 7));
        store.saveAgent(agent("web-1", 5));
        store.saveAgent(agent("web-1", 6));

        assertThat(store.agents()).extracting(AgentRecord::name).containsExactly("web-1", "web-2");
        assertThat(store.agent("web-1").orElseThrow().svidSerial().value()).isEqualTo(BigInteger.valueOf(6));
        assertThat(store.agent("db")).isEmpty();
    }

    @Test
    void touchAndNewSvidAreRecordedButLastSeenNeverGoesBack() throws Exception {
        WorkloadStore store = newStore();
        store.saveAgent(agent("web-1", 5));

        assertThat(store.touchAgent("web-1", NOW.plusSeconds(60))).isTrue();
        assertThat(store.touchAgent("web-1", NOW.plusSeconds(30))).isTrue();
        assertThat(store.agent("web-1").orElseThrow().lastSeen()).isEqualTo(NOW.plusSeconds(60));
        assertThat(store.recordAgentSvid("web-1", new SerialNumber(BigInteger.valueOf(9)), NOW.plusSeconds(90))).isTrue();
        assertThat(store.agent("web-1").orElseThrow().svidSerial().value()).isEqualTo(BigInteger.valueOf(9));
        assertThat(store.touchAgent("nobody", NOW)).isFalse();
        assertThat(store.recordAgentSvid("nobody", new SerialNumber(BigInteger.ONE), NOW)).isFalse();
    }

    @Test
    void banStaysWhenTheAgentIsSavedAgain() throws Exception {
        WorkloadStore store = newStore();
        store.saveAgent(agent("web-1", 5));

        assertThat(store.banAgent("web-1")).hasValueSatisfying(a -> assertThat(a.banned()).isTrue());
        store.saveAgent(agent("web-1", 8));

        assertThat(store.agent("web-1").orElseThrow().banned()).isTrue();
        assertThat(store.banAgent("nobody")).isEmpty();
    }
}
