package io.certwright.it;

import static io.certwright.it.WorkloadFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.certwright.agent.CertwrightAgent;
import io.certwright.core.SerialNumber;
import io.certwright.core.SpiffeId;
import io.spiffe.bundle.jwtbundle.JwtBundle;
import io.spiffe.bundle.jwtbundle.JwtBundleSet;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.provider.SpiffeSslContextFactory;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.jwtsvid.JwtSvid;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.WorkloadApiClient;
import io.spiffe.workloadapi.X509Context;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Workload identity end to end: a real server, a node agent talking to it over HTTPS, and workloads using
/// java-spiffe (the Workload API client, X509Source, and java-spiffe-provider's SSLContext).
///
/// Identities come from the kernel's peer credentials of the process that connects to the agent, so every
/// thread of this JVM is one workload (uid 0 here). The other workloads run as child processes under other
/// uids through `setpriv`; the entries select them by `unix:uid:`. That needs root; without it those tests
/// are skipped.
class WorkloadIdentityTest {

    private static final int BACKEND_UID = 65534;
    private static final int INTRUDER_UID = 65533;
    private static final int UNREGISTERED_UID = 65532;

    @TempDir
    static Path dir;

    static WorkloadFixture fixture;

    @BeforeAll
    static void startServer() throws Exception {
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions
                .fromString("rwxr-xr-x"));
        fixture = WorkloadFixture.start(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void twoWorkloadsAuthenticateEachOtherBySpiffeIdOverMutualTlsAndAThirdIdentityIsRefused() throws Exception {
        assumeTrue(WorkloadFixture.myUid() == 0, "needs root to run workloads as other users");
        String node = "mtls-node";
        SpiffeId frontend = id("/it/frontend");
        SpiffeId backend = id("/it/backend");
        SpiffeId intruder = id("/it/intruder");
        fixture.entry(frontend, node, "unix:uid:0");
        fixture.entry(backend, node, "unix:uid:" + BACKEND_UID);
        fixture.entry(intruder, node, "unix:uid:" + INTRUDER_UID);
        CertwrightAgent agent = fixture.agent(node, fixture.joinToken(node));
        agent.syncNow();
        assertThat(agent.cache().snapshot().svids()).hasSize(3);

        // The frontend (this JVM) serves mutual TLS and accepts the backend only.
        try (DefaultX509Source source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                .spiffeSocketPath("unix:" + fixture.socket(node)).initTimeout(Duration.ofSeconds(30)).build());
                MtlsServer server = new MtlsServer(source, Set.of(io.spiffe.spiffeid.SpiffeId.parse(backend.toString())))) {
            assertThat(source.getX509Svid().getSpiffeId().toString()).isEqualTo(frontend.toString());

            List<String> backendSays = fixture.runAs(BACKEND_UID, node,
                    "connect:" + server.port() + ":" + frontend,
                    "connect:" + server.port() + ":" + id("/it/someone-else"));

            // The backend reached the frontend, and each saw the other's SPIFFE ID.
            assertThat(backendSays.get(0)).isEqualTo("CONNECT OK hello " + backend + ", this is " + frontend);
            assertThat(server.outcome()).isEqualTo("ACCEPTED " + backend);
            // The backend refuses a server that is not the one it expects.
            assertThat(backendSays.get(1)).startsWith("CONNECT REFUSED");
            assertThat(server.outcome()).startsWith("FAILED");

            List<String> intruderSays = fixture.runAs(INTRUDER_UID, node, "fetch",
                    "connect:" + server.port() + ":" + frontend);

            // The intruder has a valid SVID of the same trust domain, yet the frontend refuses it.
            assertThat(intruderSays.get(0)).isEqualTo("FETCH OK " + intruder);
            assertThat(intruderSays.get(1)).startsWith("CONNECT REFUSED");
            assertThat(server.outcome()).startsWith("FAILED").contains(intruder.toString());
        }
    }

    @Test
    void aProcessWhoseUidMatchesNoEntryIsPermissionDenied() throws Exception {
        assumeTrue(WorkloadFixture.myUid() == 0, "needs root to run a workload as another user");
        String node = "attest-node";
        fixture.entry(id("/it/registered"), node, "unix:uid:0");
        CertwrightAgent agent = fixture.agent(node, fixture.joinToken(node));
        agent.syncNow();

        assertThat(fixture.runAs(UNREGISTERED_UID, node, "fetch")).containsExactly("FETCH PERMISSION_DENIED");
        assertThat(fixture.client(node).fetchX509Context().getDefaultSvid().getSpiffeId().toString())
                .isEqualTo(id("/it/registered").toString());
    }

    @Test
    void javaSpiffeFetchesAnX509SvidChainingToTheServersRootAndTheBundleHoldingIt() throws Exception {
        String node = "fetch-node";
        SpiffeId me = id("/it/fetcher");
        fixture.entry(me, node, "unix:uid:" + WorkloadFixture.myUid());
        CertwrightAgent agent = fixture.agent(node, fixture.joinToken(node));
        agent.syncNow();
        WorkloadApiClient client = fixture.client(node);

        X509Context ctx = client.fetchX509Context();
        X509Svid svid = ctx.getDefaultSvid();
        assertThat(svid.getSpiffeId().toString()).isEqualTo(me.toString());
        assertThat(svid.getLeaf().getPublicKey()).isNotEqualTo(agent.agentSvid().orElseThrow().identity().leaf()
                .getPublicKey());
        validate(svid.getChain(), fixture.server.root());
        X509Bundle bundle = client.fetchX509Bundles().getBundleForTrustDomain(TrustDomain.parse(
                WorkloadFixture.TRUST_DOMAIN));
        assertThat(bundle.getX509Authorities()).containsExactly(fixture.server.root());
        // The server's registry knows the workload SVID the agent obtained, under the agent's name.
        var record = fixture.api.certificate(new SerialNumber(svid.getLeaf().getSerialNumber()).hex());
        assertThat(record.get("status").asString()).isEqualTo("valid");
    }

    @Test
    void aJwtSvidIsSignedByTheServerAndValidatesAgainstTheAgentsBundleAndThePublicBundle() throws Exception {
        String node = "jwt-node";
        SpiffeId me = id("/it/jwt-client");
        fixture.entry(me, node, "unix:uid:" + WorkloadFixture.myUid());
        CertwrightAgent agent = fixture.agent(node, fixture.joinToken(node));
        agent.syncNow();
        WorkloadApiClient client = fixture.client(node);

        JwtSvid jwt = client.fetchJwtSvid("payments.internal");
        assertThat(jwt.getSpiffeId().toString()).isEqualTo(me.toString());

        // java-spiffe validates it against the JWT bundle the agent got from the server ...
        JwtBundleSet agentBundles = client.fetchJwtBundles();
        JwtSvid checked = JwtSvid.parseAndValidate(jwt.getToken(), agentBundles, Set.of("payments.internal"));
        assertThat(checked.getSpiffeId().toString()).isEqualTo(me.toString());
        assertThat(client.validateJwtSvid(jwt.getToken(), "payments.internal").getSpiffeId().toString())
                .isEqualTo(me.toString());
        assertThatThrownBy(() -> JwtSvid.parseAndValidate(jwt.getToken(), agentBundles, Set.of("other")))
                .hasMessageContaining("audience");

        // ... and its signature verifies with the key the server publishes at /bundle, without credentials.
        HttpResponse<String> published = fixture.api.get("/bundle");
        assertThat(published.statusCode()).isEqualTo(200);
        SignedJWT parsed = SignedJWT.parse(jwt.getToken());
        JWKSet keys = JWKSet.parse(published.body());
        ECKey key = keys.getKeyByKeyId(parsed.getHeader().getKeyID()).toECKey();
        assertThat(key.getKeyUse().identifier()).isEqualTo("jwt-svid");
        assertThat(parsed.verify(new ECDSAVerifier(key))).isTrue();
        JwtBundle agentBundle = agentBundles.getBundleForTrustDomain(TrustDomain.parse(WorkloadFixture.TRUST_DOMAIN));
        assertThat(agentBundle.findJwtAuthority(key.getKeyID())).isEqualTo(key.toPublicKey());
    }

    private static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(
                chain), params);
    }

    /// A mutual-TLS server backed by the Workload API that accepts clients with the given SPIFFE IDs, greets
    /// each with its peer's ID and records every connection's outcome.
    private static final class MtlsServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
        private final Thread thread;

        MtlsServer(DefaultX509Source source, Set<io.spiffe.spiffeid.SpiffeId> accepted) throws Exception {
            SSLContext ctx = SpiffeSslContextFactory.getSslContext(SpiffeSslContextFactory.SslContextOptions.builder()
                    .x509Source(source).acceptedSpiffeIdsSupplier(() -> accepted).build());
            socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 10,
                    InetAddress.getLoopbackAddress());
            socket.setNeedClientAuth(true);
            String me = source.getX509Svid().getSpiffeId().toString();
            thread = Thread.ofPlatform().daemon().name("mtls-server").start(() -> serve(me));
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(String me) {
            while (!socket.isClosed()) {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.setSoTimeout(30_000);
                    try {
                        s.startHandshake();
                        String peer = spiffeId((X509Certificate) s.getSession().getPeerCertificates()[0]);
                        String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                StandardCharsets.UTF_8)).readLine();
                        s.getOutputStream().write((line + " " + peer + ", this is " + me + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                        s.getOutputStream().flush();
                        outcomes.add("ACCEPTED " + peer);
                    } catch (IOException e) {
                        outcomes.add("FAILED " + e);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        /// The outcome of the next connection.
        String outcome() throws InterruptedException {
            String o = outcomes.poll(WorkloadFixture.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(o).as("a connection reached the server").isNotNull();
            return o;
        }

        private static String spiffeId(X509Certificate c) throws IOException {
            try {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(6).equals(san.get(0))) {
                        return String.valueOf(san.get(1));
                    }
                }
            } catch (java.security.cert.CertificateParsingException e) {
                throw new IOException(e);
            }
            return "(no URI SAN)";
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
