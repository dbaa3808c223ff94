package io.certwright.server.http;

import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.access.AccessStore;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.workload.JwtKeys;
import io.certwright.ca.workload.WorkloadStore;
import io.certwright.core.TrustDomain;
import io.certwright.server.inventory.InventoryService;
import io.certwright.server.workload.JwtSvids;
import io.certwright.server.workload.SpiffeBundle;
import io.certwright.server.revocation.RevocationService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The HTTPS listener: Jetty 12 core handlers on virtual threads, TLS 1.2/1.3 with AEAD suites only,
/// client certificates requested but not required, the server certificate swapped in place on renewal.
/// Every error, whether raised by a handler or by Jetty itself, leaves as `application/problem+json`.
public final class HttpEdge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final String[] AEAD_SUITES = {
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};
    /// Routes of the API table that the plain-HTTP listener serves besides the revocation routes.
    private static final java.util.Set<String> PLAIN_HTTP_EXTRAS = java.util.Set.of("GET /roots.pem", "GET /healthz",
            "GET /bundle");
    /// The default URI rules, plus percent-encoded and doubled slashes, which OCSP GET requests contain.
    private static final UriCompliance OCSP_URIS = UriCompliance.DEFAULT.with("DEFAULT_WITH_OCSP_GET",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT);

    /// What the edge needs from the configuration.
    ///
    /// @param listen address to bind; port 0 picks a free one
    /// @param tlsNames the names of the server certificate
    /// @param tlsLifetime lifetime of the server certificate
    /// @param maxBodyBytes largest request body
    /// @param authFailuresPerMinute failed authentications per address and minute before 429
    /// @param plainListen plain-HTTP address serving only the public routes (CRLs, CA certificates, OCSP,
    ///     `/roots.pem`, `/healthz`); empty for none
    public record Settings(InetSocketAddress listen, SubjectNames tlsNames, Duration tlsLifetime, int maxBodyBytes,
            int authFailuresPerMinute, Optional<InetSocketAddress> plainListen) {
    }

    /// The domain services the handlers call.
    public record Services(CertificateAuthority ca, CertificateRepository registry, AccessStore access,
            AuditLog audit, Metrics metrics, Clock clock, ReadinessCheck readiness, RevocationService revocation,
            InventoryService inventory, Workload workload) {
    }

    /// Workload identity: registration entries, join tokens and agents, the JWT-SVID keys, the trust domain.
    public record Workload(WorkloadStore store, JwtKeys jwtKeys, TrustDomain trustDomain) {
    }

    /// Readiness: empty when ready, else why not.
    @FunctionalInterface
    public interface ReadinessCheck {
        Optional<String> notReadyBecause();
    }

    private final Server server;
    private final ServerConnector connector;
    private final @Nullable ServerConnector plainConnector;
    private final SslContextFactory.Server ssl;
    private final ServerCertificate certificate;
    private final Routes routes;
    private final AcmeRoutes acme;

    private HttpEdge(Server server, ServerConnector connector, @Nullable ServerConnector plainConnector,
            SslContextFactory.Server ssl, ServerCertificate certificate, Routes routes, AcmeRoutes acme) {
        this.server = server;
        this.connector = connector;
        this.plainConnector = plainConnector;
        this.ssl = ssl;
        this.certificate = certificate;
        this.routes = routes;
        this.acme = acme;
    }

    /// Starts serving ACME under `/acme/` and its administration under `/api/v1/acme/`; until then those
    /// routes answer 503.
    public void serveAcme(io.certwright.server.acme.AcmeWiring.Parts parts) {
        acme.serve(parts);
    }

    /// Issues the server certificate and starts listening.
    public static HttpEdge start(Settings settings, Services services) throws Exception {
        ServerCertificate cert = new ServerCertificate(services.ca(), settings.tlsNames(), settings.tlsLifetime(),
                services.clock());
        Authenticator auth = new Authenticator(services.access(), services.audit(),
                new RateLimiter(settings.authFailuresPerMinute()));
        Issuance issuance = new Issuance(services.ca(), services.audit(), services.metrics());
        ApiV1 api = new ApiV1(services.ca(), services.registry(), services.access(), services.audit(), auth, issuance,
                services.metrics(), services.readiness()::notReadyBecause, openApiDocument());
        RevocationRoutes revocation = new RevocationRoutes(services.revocation(), services.registry(),
                services.audit(), services.metrics(), services.clock());
        List<Routes.Route> table = new ArrayList<>(Routes.table(api));
        table.addAll(revocation.apiRoutes());
        table.addAll(revocation.publicRoutes());
        table.addAll(new InventoryApi(services.inventory(), services.audit()).routes());
        AcmeRoutes acme = new AcmeRoutes(settings.maxBodyBytes(), services.audit());
        table.addAll(acme.routes());
        Workload w = services.workload();
        table.addAll(new WorkloadApi(w.store(), services.ca(), services.registry(), services.audit(), auth, issuance,
                new JwtSvids(w.jwtKeys()), new SpiffeBundle(() -> services.ca().trustBundle().roots(), w.jwtKeys()),
                w.trustDomain(), settings.maxBodyBytes()).routes());
        Routes routes = new Routes(table);
        // The plain-HTTP listener serves what relying parties fetch without TLS, and nothing else.
        List<Routes.Route> plainTable = new ArrayList<>(revocation.publicRoutes());
        table.stream().filter(r -> PLAIN_HTTP_EXTRAS.contains(r.method() + " " + r.pattern())).forEach(plainTable::add);
        Routes plainRoutes = new Routes(plainTable);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("certwright-http");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("certwright-request-", 0).factory()));
        Server server = new Server(threads);
        server.setStopTimeout(15_000);
        server.setErrorHandler(new ProblemErrorHandler());

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(cert.keyStore());
        ssl.setKeyStorePassword(ServerCertificate.STORE_PASSWORD);
        ssl.setKeyManagerPassword(ServerCertificate.STORE_PASSWORD);
        ssl.setTrustStore(trustStore(services.ca().trustBundle().roots()));
        ssl.setWantClientAuth(true);
        ssl.setEndpointIdentificationAlgorithm(null);
        ssl.setIncludeProtocols(PROTOCOLS);
        ssl.setIncludeCipherSuites(AEAD_SUITES);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // An OCSP GET carries base64, whose '/' clients percent-encode (RFC 6960 A.1).
        http.setUriCompliance(OCSP_URIS);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);

        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost(settings.listen().getHostString());
        connector.setPort(settings.listen().getPort());
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        ServerConnector plain = null;
        if (settings.plainListen().isPresent()) {
            HttpConfiguration plainHttp = new HttpConfiguration();
            plainHttp.setSendServerVersion(false);
            plainHttp.setSendXPoweredBy(false);
            plainHttp.setUriCompliance(OCSP_URIS);
            plain = new ServerConnector(server, new HttpConnectionFactory(plainHttp));
            plain.setHost(settings.plainListen().get().getHostString());
            plain.setPort(settings.plainListen().get().getPort());
            plain.setIdleTimeout(30_000);
            server.addConnector(plain);
        }
        server.setHandler(new GracefulHandler(new Dispatcher(routes, plainRoutes, settings.maxBodyBytes(),
                services.clock(), auth)));
        server.start();
        return new HttpEdge(server, connector, plain, ssl, cert, routes, acme);
    }

    private static byte[] openApiDocument() throws IOException {
        try (InputStream in = HttpEdge.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IOException("openapi.json is missing from the server jar");
            }
            return in.readAllBytes();
        }
    }

    private static KeyStore trustStore(List<X509Certificate> roots) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < roots.size(); i++) {
            ks.setCertificateEntry("root-" + i, roots.get(i));
        }
        return ks;
    }

    /// The bound port (the actual one when port 0 was asked for).
    public int port() {
        return connector.getLocalPort();
    }

    /// The bound port of the plain-HTTP listener, when there is one.
    public Optional<Integer> plainPort() {
        return plainConnector == null ? Optional.empty() : Optional.of(plainConnector.getLocalPort());
    }

    /// The TLS certificate currently presented.
    public X509Certificate serverCertificate() {
        return certificate.certificate();
    }

    /// Renews the server certificate if two thirds of its lifetime have passed, and swaps it into the
    /// listener without a restart; connections already open keep their session.
    ///
    /// @return whether a new certificate was swapped in
    public boolean renewCertificateIfDue() throws Exception {
        if (!certificate.renewIfDue()) {
            return false;
        }
        KeyStore next = certificate.keyStore();
        ssl.reload(f -> f.setKeyStore(next));
        LOG.info("server certificate renewed: serial {}, valid until {}",
                certificate.certificate().getSerialNumber().toString(16), certificate.certificate().getNotAfter().toInstant());
        return true;
    }

    /// Method and path pattern of every route, e.g. `GET /roots.pem`.
    public List<String> routeSignatures() {
        return routes.signatures();
    }

    /// Stops accepting, waits for requests in flight (up to 15 s), then stops.
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP listener did not stop cleanly: {}", e.getMessage());
        }
    }

    /// Routes a request, authenticates it, runs its handler, and maps every failure to a problem: the one
    /// place where exceptions become HTTP errors.
    private static final class Dispatcher extends Handler.Abstract {

        private final Routes routes;
        private final Routes plainRoutes;
        private final int maxBodyBytes;
        private final Clock clock;
        private final Authenticator auth;

        Dispatcher(Routes routes, Routes plainRoutes, int maxBodyBytes, Clock clock, Authenticator auth) {
            this.routes = routes;
            this.plainRoutes = plainRoutes;
            this.maxBodyBytes = maxBodyBytes;
            this.clock = clock;
            this.auth = auth;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            Reply reply;
            try {
                Routes.Match match = (request.isSecure() ? routes : plainRoutes).match(request.getMethod(), path);
                Call call = new Call(request, match.params(), maxBodyBytes, clock.instant());
                call.caller(auth.authenticate(call, match.route().access()));
                reply = match.route().endpoint().handle(call);
            } catch (Exception e) {
                reply = Reply.problem(problem(e, request.getMethod(), path), path);
                discardBody(request);
            }
            write(response, reply, callback);
            return true;
        }

        /// Reads what is left of a refused request's body (up to 1 MiB), so a client still sending it gets
        /// the problem response on a connection that stays usable instead of a reset.
        private static void discardBody(Request request) {
            try (InputStream in = org.eclipse.jetty.io.Content.Source.asInputStream(request)) {
                byte[] sink = new byte[8192];
                long total = 0;
                int n;
                while (total < 1024 * 1024 && (n = in.read(sink)) > 0) {
                    total += n;
                }
            } catch (IOException | RuntimeException e) {
                // The connection is closed after the response then; nothing else to do.
            }
        }

        private static ProblemException problem(Exception e, String method, String path) {
            return switch (e) {
                case ProblemException p -> p;
                case PolicyException p when p.rule() == PolicyRule.CSR_MALFORMED ->
                        new ProblemException(ProblemType.MALFORMED_REQUEST, "csr: " + p.getMessage());
                case PolicyException p -> new ProblemException(ProblemType.POLICY_REFUSED,
                        String.valueOf(p.getMessage()), p.refusals());
                case RegistryException r when r.kind() == RegistryException.Kind.WRONG_STATE ->
                        new ProblemException(ProblemType.WRONG_STATE, String.valueOf(r.getMessage()));
                default -> {
                    LOG.error("{} {} failed", method, path, e);
                    yield new ProblemException(ProblemType.INTERNAL, "internal error; see the server log");
                }
            };
        }
    }

    static void write(Response response, Reply reply, Callback callback) {
        response.setStatus(reply.status());
        if (!reply.contentType().isEmpty()) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        reply.repeatedHeaders().forEach(h -> response.getHeaders().add(h.getKey(), h.getValue()));
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    /// Renders errors Jetty raises before a handler runs (bad URIs, oversized headers) as problems.
    private static final class ProblemErrorHandler extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
            ProblemType type = ProblemType.forStatus(status);
            String path;
            try {
                path = Request.getPathInContext(request);
            } catch (RuntimeException e) {
                path = "";
            }
            HttpEdge.write(response, Reply.problem(new ProblemException(type, type.title()), path), callback);
            return true;
        }
    }
}
