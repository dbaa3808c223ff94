package io.certwright.it;

import static io.certwright.it.WorkloadFixture.agentId;
import static io.certwright.it.WorkloadFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.agent.CertwrightAgent;
import io.certwright.agent.internal.x509.Csrs;
import io.certwright.agent.node.AgentIdentity;
import io.certwright.agent.node.AgentSvid;
import io.certwright.agent.node.HttpNodeClient;
import io.certwright.agent.node.NodeException;
import io.certwright.agent.node.RegistrationEntry;
import io.certwright.agent.node.SignedSvid;
import io.certwright.agent.node.SvidRequest;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.testing.TestCa;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The node API as the agent's [HttpNodeClient] meets it on a real server: join tokens, bans, delegation
/// of entries, renewal of the agent SVID, and what the client makes of refusals and untrusted servers.
class WorkloadNodeApiTest {

    @TempDir
    static Path dir;

    static WorkloadFixture fixture;

    @BeforeAll
    static void startServer() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        fixture = WorkloadFixture.start(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /// A client that presents whatever `holder` holds.
    private static HttpNodeClient client(AtomicReference<Optional<AgentSvid>> holder) {
        return new HttpNodeClient(fixture.url(), fixture.roots(), holder::get);
    }

    /// Attests `node` with a fresh token and key; returns its credentials.
    private static AgentSvid attest(String node) throws Exception {
        KeyPair key = Csrs.newKeyPair();
        AgentIdentity identity = client(new AtomicReference<>(Optional.empty()))
                .attest(fixture.joinToken(node), Csrs.create(key, Optional.empty(), List.of()));
        return new AgentSvid(identity, key.getPrivate());
    }

    private static HttpNodeClient client(AgentSvid svid) {
        return client(new AtomicReference<>(Optional.of(svid)));
    }

    private static byte[] csr() throws Exception {
        return Csrs.create(Csrs.newKeyPair(), Optional.empty(), List.of());
    }

    private static List<AuditEvent> audited(String actor, String action) throws Exception {
        return fixture.api.auditLog().stream().map(AuditEntry::event)
                .filter(e -> e.actor().equals(actor) && e.action().equals(action)).toList();
    }

    @Test
    void attestationReturnsTheAgentSvidForTheTokensNodeWithTheServersRoots() throws Exception {
        AgentSvid svid = attest("attest-node");

        assertThat(svid.identity().spiffeId()).isEqualTo(agentId("attest-node"));
        assertThat(svid.identity().roots()).containsExactly(fixture.server.root());
        assertThat(svid.identity().leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(client(svid).entries().entries()).isEmpty();
        assertThat(client(svid).bundle().x509Authorities()).containsExactly(fixture.server.root());
    }

    @Test
    void aJoinTokenIsRedeemedOnceAndASecondAgentPresentingItGetsNoIdentity() throws Exception {
        String token = fixture.joinToken("join-once");
        CertwrightAgent first = fixture.agent("join-once", token, "join-once-1");
        assertThat(first.agentSvid()).isPresent();

        CertwrightAgent second = fixture.agent("join-once", token, "join-once-2");

        assertThat(second.agentSvid()).isEmpty();
        assertThat(second.consecutiveFailures()).isEqualTo(1);
        assertThatThrownBy(() -> client(new AtomicReference<>(Optional.empty())).attest(token, csr()))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.DENIED))
                .hasMessageContaining("401").hasMessageContaining("token-used");
    }

    @Test
    void anUnknownJoinTokenIsDeniedAndAMalformedCsrIsInvalidWithoutSpendingTheToken() throws Exception {
        HttpNodeClient anonymous = client(new AtomicReference<>(Optional.empty()));
        String token = fixture.joinToken("careful-node");

        assertThatThrownBy(() -> anonymous.attest("cwj_not-a-token", csr()))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.DENIED));
        assertThatThrownBy(() -> anonymous.attest(token, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.INVALID))
                .hasMessageContaining("400");
        assertThat(anonymous.attest(token, csr()).spiffeId()).isEqualTo(agentId("careful-node"));
    }

    @Test
    void anAgentGetsNoSvidForAnotherAgentsEntryAndTheRefusalIsAudited() throws Exception {
        AgentSvid a = attest("node-a");
        AgentSvid b = attest("node-b");
        String entryOfB = fixture.entry(id("/it/b-only"), "node-b", "unix:uid:1000");

        assertThat(client(a).entries().entries()).extracting(RegistrationEntry::id).doesNotContain(entryOfB);
        assertThat(client(b).entries().entries()).extracting(RegistrationEntry::id).containsExactly(entryOfB);

        // Per item: the batch answers 200, the item is refused and left out.
        assertThat(client(a).signX509Svids(List.of(new SvidRequest(entryOfB, csr())))).isEmpty();
        assertThatThrownBy(() -> client(a).signJwtSvid(entryOfB, List.of("anyone")))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.DENIED))
                .hasMessageContaining("403").hasMessageContaining("forbidden");

        assertThat(audited("agent:node-a", "svid.issue")).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.REFUSED);
            assertThat(e.target()).isEqualTo(entryOfB);
        });
        assertThat(audited("agent:node-a", "jwt-svid.mint")).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.REFUSED));
        // The agent the entry is delegated to gets it.
        List<SignedSvid> signed = client(b).signX509Svids(List.of(new SvidRequest(entryOfB, csr())));
        assertThat(signed).singleElement().satisfies(s -> {
            assertThat(s.entryId()).isEqualTo(entryOfB);
            assertThat(s.chain().getFirst().getSubjectAlternativeNames())
                    .anySatisfy(san -> assertThat(san.get(1)).isEqualTo(id("/it/b-only").toString()));
        });
    }

    @Test
    void aBannedAgentIsRefusedItsSvidsAreRevokedAndItsNodeCannotAttestAgain() throws Exception {
        String node = "ban-node";
        fixture.entry(id("/it/before-ban"), node, "unix:uid:" + WorkloadFixture.myUid());
        CertwrightAgent agent = fixture.agent(node, fixture.joinToken(node));
        agent.syncNow();
        var before = agent.cache().snapshot().svids().values();
        assertThat(before).hasSize(1);
        String workloadSerial = new SerialNumber(before.iterator().next().leaf().getSerialNumber()).hex();
        AgentSvid credentials = agent.agentSvid().orElseThrow();

        assertThat(fixture.ban(node).get("revoked_certificates").asInt()).isGreaterThanOrEqualTo(2);

        assertThat(fixture.api.certificate(workloadSerial).get("status").asString()).isEqualTo("revoked");
        assertThatThrownBy(() -> client(credentials).entries())
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.DENIED))
                .hasMessageContaining("403");
        fixture.entry(id("/it/after-ban"), node, "unix:uid:" + WorkloadFixture.myUid());
        agent.syncNow();
        assertThat(agent.cache().snapshot().svids().values()).extracting(s -> s.entry().spiffeId())
                .doesNotContain(id("/it/after-ban"));
        assertThat(agent.consecutiveFailures()).isGreaterThanOrEqualTo(1);
        assertThatThrownBy(() -> attest(node))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.DENIED))
                .hasMessageContaining("banned");
    }

    @Test
    void aRenewedAgentSvidIsPresentedOnTheNextCallThoughTheOldConnectionWasPooled() throws Exception {
        AgentSvid first = attest("renew-node");
        AtomicReference<Optional<AgentSvid>> holder = new AtomicReference<>(Optional.of(first));
        HttpNodeClient client = client(holder);
        client.entries();
        KeyPair next = Csrs.newKeyPair();
        AgentIdentity renewed = client.renewAgent(Csrs.create(next, Optional.empty(), List.of()));
        assertThat(renewed.spiffeId()).isEqualTo(agentId("renew-node"));
        assertThat(renewed.leaf().getSerialNumber()).isNotEqualTo(first.identity().leaf().getSerialNumber());

        holder.set(Optional.of(new AgentSvid(renewed, next.getPrivate())));
        HttpResponse<String> revoked = fixture.api.post("/api/v1/certificates/"
                + new SerialNumber(first.identity().leaf().getSerialNumber()).hex() + "/revoke",
                Map.of("reason", "superseded"));
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

        // Only the renewed SVID is still accepted; the client presents it.
        assertThat(client.entries().entries()).isEmpty();
        assertThatThrownBy(() -> client(first).entries())
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.DENIED));
    }

    @Test
    void aServerWhoseCertificateDoesNotChainToTheBootstrapRootsIsUnavailableAndNotTalkedTo() throws Exception {
        TestCa stranger = TestCa.builder(KeyAlgorithm.P256).build();
        HttpNodeClient client = new HttpNodeClient(fixture.url(), List.of(stranger.root()), Optional::empty);
        String token = fixture.joinToken("wary-node");

        assertThatThrownBy(() -> client.attest(token, csr()))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.UNAVAILABLE))
                .hasCauseInstanceOf(SSLHandshakeException.class);
        // The token was never sent: it still attests.
        assertThat(client(new AtomicReference<>(Optional.empty())).attest(token, csr()).spiffeId())
                .isEqualTo(agentId("wary-node"));
    }

    @Test
    void aServerThatIsNotListeningIsUnavailableAndPlainHttpUrlsAreRefused() throws Exception {
        int port = RevocationClients.freePort();
        HttpNodeClient client = new HttpNodeClient(URI.create("https://127.0.0.1:" + port), fixture.roots(),
                Optional::empty);

        assertThatThrownBy(() -> client.attest("cwj_x", csr()))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.UNAVAILABLE));
        assertThatThrownBy(() -> new HttpNodeClient(URI.create("http://127.0.0.1:" + port), fixture.roots(),
                Optional::empty)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }
}
