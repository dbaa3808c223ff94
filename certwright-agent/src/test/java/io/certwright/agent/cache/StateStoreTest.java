package io.certwright.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.agent.internal.x509.Csrs;
import io.certwright.agent.node.AgentIdentity;
import io.certwright.agent.node.AgentSvid;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.RegistrationEntry;
import io.certwright.agent.node.Selector;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import io.certwright.testing.MutableClock;
import io.certwright.testing.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    Path tmp;

    @Test
    void savedStateReadsBackEqualWithKeysAndAllEntryFields() throws Exception {
        TestCa ca = TestCa.builder(KeyAlgorithm.P256).trustDomain("example.org")
                .clock(MutableClock.at("2030-01-01T00:00:00Z")).build();
        KeyPair agentKey = Csrs.newKeyPair();
        var agentCert = ca.issueSvid("spiffe://example.org/agent/n1", Duration.ofHours(1));
        KeyPair svidKey = Csrs.newKeyPair();
        var svidCert = ca.issueSvid("spiffe://example.org/api", Duration.ofHours(1));
        RegistrationEntry entry = new RegistrationEntry("e1", SpiffeId.parse("spiffe://example.org/api"),
                SpiffeId.parse("spiffe://example.org/agent/n1"),
                List.of(Selector.parse("unix:uid:1000"), Selector.parse("unix:path:/usr/bin/api")),
                Duration.ofMinutes(30), Duration.ofMinutes(5), List.of("api.internal"), true, 7);
        AgentState state = new AgentState(
                Optional.of(new AgentSvid(new AgentIdentity(SpiffeId.parse("spiffe://example.org/agent/n1"),
                        agentCert.fullChain(), List.of(ca.root())), agentKey.getPrivate())),
                new CacheSnapshot(List.of(entry),
                        Map.of("e1", new X509Svid(entry, svidCert.fullChain(), svidKey.getPrivate(), 3)),
                        Optional.of(new Bundle(TrustDomain.parse("example.org"), List.of(ca.root()),
                                "{\"keys\":[]}", 3))));
        StateStore store = new StateStore(tmp.resolve("data"));

        store.save(state);

        assertThat(store.load()).isEqualTo(state);
    }

    @Test
    void missingStateIsTheEmptyState() throws Exception {
        assertThat(new StateStore(tmp).load()).isEqualTo(AgentState.EMPTY);
    }

    @Test
    void unreadableStateIsAnErrorNamingTheFile() throws Exception {
        StateStore store = new StateStore(tmp);
        Files.writeString(store.file(), "{\"version\": 1, \"entries\": [{\"id\": 5}");

        assertThatThrownBy(store::load).isInstanceOf(IOException.class).hasMessageContaining(StateStore.FILE);
    }
}
