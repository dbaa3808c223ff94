package io.certwright.agent;

import static io.certwright.agent.AgentHarness.await;
import static io.certwright.agent.AgentHarness.mySelector;
import static io.certwright.agent.TestNodeServer.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.certwright.testing.MutableClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spiffe.bundle.jwtbundle.JwtBundleSet;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.jwtsvid.JwtSvid;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.WorkloadApiClient;
import io.spiffe.workloadapi.X509Context;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.math.BigInteger;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The Workload API as real clients see it: java-spiffe's client and X509Source, and raw gRPC stubs for
/// what java-spiffe would not send.
class WorkloadApiTest {

    private static final TrustDomain TD = TrustDomain.parse("example.org");
    private static final Duration TTL = Duration.ofHours(1);

    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private TestNodeServer server;
    private AgentHarness harness;
    private CertwrightAgent agent;

    @BeforeEach
    void startAgent() throws Exception {
        server = new TestNodeServer(clock);
        server.addJoinToken("join-1");
        server.entries(entry("api", "spiffe://example.org/api", TTL, mySelector()));
        harness = new AgentHarness(tmp);
        agent = harness.start(server, b -> b.joinToken("join-1"));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void x509SvidFetchedWithJavaSpiffeCarriesTheEntrySpiffeIdAndChainsToTheCaRoot() throws Exception {
        X509Context ctx = harness.spiffeClient().fetchX509Context();

        X509Svid svid = ctx.getDefaultSvid();
        assertThat(svid.getSpiffeId()).isEqualTo(SpiffeId.parse("spiffe://example.org/api"));
        server.ca().validate(svid.getChain());
        assertThat(svid.getLeaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(ctx.getX509BundleSet().getBundleForTrustDomain(TD).getX509Authorities())
                .containsExactly(server.ca().root());
    }

    @Test
    void callerMatchingTwoEntriesGetsBothSvidsWithTheFirstEntryAsDefault() throws Exception {
        server.entries(entry("api", "spiffe://example.org/api", TTL, mySelector()),
                entry("db", "spiffe://example.org/db-client", TTL, mySelector()),
                entry("other", "spiffe://example.org/other", TTL, "unix:uid:4242"));
        clock.advance(Duration.ofSeconds(6));
        agent.syncNow();

        X509Context ctx = harness.spiffeClient().fetchX509Context();

        assertThat(ctx.getX509Svids()).extracting(s -> s.getSpiffeId().toString())
                .containsExactly("spiffe://example.org/api", "spiffe://example.org/db-client");
        assertThat(ctx.getDefaultSvid().getSpiffeId().toString()).isEqualTo("spiffe://example.org/api");
    }

    @Test
    void jwtSvidFetchedWithJavaSpiffeValidatesAgainstTheJwtBundleAndThroughTheAgent() throws Exception {
        WorkloadApiClient client = harness.spiffeClient();

        JwtSvid jwt = client.fetchJwtSvid("payments");
        JwtBundleSet bundles = client.fetchJwtBundles();

        JwtSvid checked = JwtSvid.parseAndValidate(jwt.getToken(), bundles, Set.of("payments"));
        assertThat(checked.getSpiffeId().toString()).isEqualTo("spiffe://example.org/api");
        JwtSvid byAgent = client.validateJwtSvid(jwt.getToken(), "payments");
        assertThat(byAgent.getSpiffeId().toString()).isEqualTo("spiffe://example.org/api");
        assertThat(byAgent.getClaims()).containsKey("exp");
    }

    @Test
    void validateJwtSvidRejectsAnotherAudienceAnExpiredTokenAndAnUnknownSignerAsInvalidArgument() throws Exception {
        var stub = harness.rawStub(true);
        String token = harness.spiffeClient().fetchJwtSvid("payments").getToken();
        Instant now = clock.instant();
        String expired = server.signRaw(new JWTClaimsSet.Builder().subject("spiffe://example.org/api")
                .audience("payments").expirationTime(Date.from(now.minusSeconds(1))).build());
        String foreign = new TestNodeServer(clock).signRaw(new JWTClaimsSet.Builder()
                .subject("spiffe://example.org/api").audience("payments")
                .expirationTime(Date.from(now.plusSeconds(300))).build());

        for (var bad : List.of(List.of(token, "ledger"), List.of(expired, "payments"), List.of(foreign, "payments"),
                List.of("not.a.jwt", "payments"))) {
            assertThatThrownBy(() -> stub.validateJWTSVID(Workload.ValidateJWTSVIDRequest.newBuilder()
                    .setSvid(bad.get(0)).setAudience(bad.get(1)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
    }

    @Test
    void rotationIsPushedOnTheOpenX509Stream() throws Exception {
        try (DefaultX509Source source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                .spiffeSocketPath("unix:" + harness.socket).initTimeout(Duration.ofSeconds(30)).build())) {
            BigInteger first = source.getX509Svid().getLeaf().getSerialNumber();

            clock.advance(Duration.ofMinutes(40));
            agent.syncNow();

            await("a rotated SVID on the stream", Duration.ofSeconds(30),
                    () -> !source.getX509Svid().getLeaf().getSerialNumber().equals(first));
            server.ca().validate(source.getX509Svid().getChain());
        }
    }

    @Test
    void newRootIsPushedToBundleStreamsAndEverySvidIsReissuedUnderIt() throws Exception {
        try (DefaultX509Source source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                .spiffeSocketPath("unix:" + harness.socket).initTimeout(Duration.ofSeconds(30)).build())) {
            var oldRoot = server.ca().root();

            server.rotateRoot();
            clock.advance(Duration.ofSeconds(6));
            agent.syncNow();

            await("the new root in the bundle", Duration.ofSeconds(30),
                    () -> bundleOf(source).contains(server.ca().root()));
            assertThat(bundleOf(source)).contains(oldRoot);
            await("an SVID issued under the new root", Duration.ofSeconds(30),
                    () -> source.getX509Svid().getChain().get(1).equals(server.ca().intermediate()));
            server.ca().validate(source.getX509Svid().getChain());
        }
    }

    private static Set<java.security.cert.X509Certificate> bundleOf(DefaultX509Source source) {
        try {
            return source.getBundleForTrustDomain(TD).getX509Authorities();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void callWithoutTheSecurityHeaderIsInvalidArgument() {
        SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIBlockingStub stub = harness.rawStub(false);

        assertThatThrownBy(() -> stub.fetchJWTSVID(Workload.JWTSVIDRequest.newBuilder().addAudience("a").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("security header");
                });
        assertThatThrownBy(() -> stub.fetchX509SVID(Workload.X509SVIDRequest.getDefaultInstance()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void refusedCallsAreRecordedOnTheAuditLoggerWithTheCallersCredentials() {
        ch.qos.logback.classic.Logger audit = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("io.certwright.agent.audit");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        audit.addAppender(events);
        try {
            assertThatThrownBy(() -> harness.rawStub(false).fetchJWTSVID(Workload.JWTSVIDRequest.newBuilder()
                    .addAudience("a").build())).isInstanceOf(StatusRuntimeException.class);
            assertThatThrownBy(() -> harness.rawStub(true).fetchJWTSVID(Workload.JWTSVIDRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class);
            harness.rawStub(true).fetchJWTBundles(Workload.JWTBundlesRequest.getDefaultInstance()).next();

            assertThat(events.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .containsExactly(
                            "refused SpiffeWorkloadAPI/FetchJWTSVID for pid " + ProcessHandle.current().pid()
                                    + " uid " + uid() + " gid " + gid() + ": INVALID_ARGUMENT security header "
                                    + "missing from request",
                            "refused SpiffeWorkloadAPI/FetchJWTSVID for pid " + ProcessHandle.current().pid()
                                    + " uid " + uid() + " gid " + gid() + ": INVALID_ARGUMENT audience must be "
                                    + "specified");
        } finally {
            audit.detachAppender(events);
        }
    }

    private static long uid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }

    private static long gid() {
        return new com.sun.security.auth.module.UnixSystem().getGid();
    }

    @Test
    void jwtSvidRequestWithoutAudienceIsInvalidArgument() {
        assertThatThrownBy(() -> harness.rawStub(true).fetchJWTSVID(Workload.JWTSVIDRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("audience must be specified");
                });
    }

    @Test
    void jwtSvidForAnIdentityTheCallerDoesNotHaveIsPermissionDenied() {
        server.entries(entry("api", "spiffe://example.org/api", TTL, mySelector()),
                entry("other", "spiffe://example.org/other", TTL, "unix:uid:4242"));
        clock.advance(Duration.ofSeconds(6));
        agent.syncNow();

        assertThatThrownBy(() -> harness.rawStub(true).fetchJWTSVID(Workload.JWTSVIDRequest.newBuilder()
                .addAudience("payments").setSpiffeId("spiffe://example.org/other").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void callerThatLosesItsLastEntryIsToldPermissionDeniedOnItsStream() throws Exception {
        var stream = harness.rawStub(true).withDeadlineAfter(60, TimeUnit.SECONDS)
                .fetchX509SVID(Workload.X509SVIDRequest.getDefaultInstance());
        assertThat(stream.next().getSvidsCount()).isEqualTo(1);

        server.entries(entry("other", "spiffe://example.org/other", TTL, "unix:uid:4242"));
        clock.advance(Duration.ofSeconds(6));
        agent.syncNow();

        assertThatThrownBy(stream::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void requestLargerThanTheInboundLimitIsRejected() {
        String huge = "x".repeat(100 * 1024);

        assertThatThrownBy(() -> harness.rawStub(true).validateJWTSVID(Workload.ValidateJWTSVIDRequest.newBuilder()
                .setAudience("a").setSvid(huge).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void garbageOnTheSocketClosesThatConnectionAndOtherClientsAreStillServed() throws Exception {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(harness.socket))) {
            byte[] junk = new byte[8192];
            new Random(7).nextBytes(junk);
            raw.write(ByteBuffer.wrap(junk));
            CompletableFuture<Integer> eof = CompletableFuture.supplyAsync(() -> {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                try {
                    int n;
                    while ((n = raw.read(buf)) >= 0) {
                        buf.clear();
                    }
                    return n;
                } catch (java.io.IOException e) {
                    return -2;
                }
            });
            assertThat(eof.get(30, TimeUnit.SECONDS)).isNegative();
        }

        assertThat(harness.spiffeClient().fetchX509Context().getDefaultSvid().getSpiffeId().toString())
                .isEqualTo("spiffe://example.org/api");
    }
}
