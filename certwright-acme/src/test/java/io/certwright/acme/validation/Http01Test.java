package io.certwright.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Identifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// http-01 against real HTTP servers on loopback, with names resolved only by a test DNS server.
class Http01Test {

    static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    static final String PATH = "/.well-known/acme-challenge/" + TOKEN;

    static TestDnsServer dns;

    HttpServer server;
    final List<String> hosts = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void startDns() throws IOException {
        dns = TestDnsServer.start();
        dns.a("app.test", "127.0.0.1").a("other.test", "127.0.0.1");
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @BeforeEach
    void startServer() throws IOException {
        server = server("127.0.0.1");
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private HttpServer server(String address) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral(address), 0), 0);
        s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        return s;
    }

    private void serve(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            paths.add(exchange.getRequestURI().getRawPath());
            handler.handle(exchange);
        });
    }

    private static HttpHandler body(int status, String body) {
        return exchange -> respond(exchange, status, body);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static HttpHandler redirect(int status, String location) {
        return exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        };
    }

    private ValidationSettings settings() {
        return ValidationSettings.defaults().withDnsServer(dns.hostPort()).withHttp01Port(port())
                .withTimeout(Duration.ofSeconds(5));
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static ValidationOutcome validate(ValidationSettings settings, Identifier identifier) {
        return new Validators(settings).validate(identifier, Validators.HTTP_01, TOKEN, KEY_AUTHORIZATION)
                .orTimeout(30, TimeUnit.SECONDS).join();
    }

    private ValidationOutcome validate(Identifier identifier) {
        return validate(settings(), identifier);
    }

    private static ValidationOutcome.Invalid invalid(ValidationOutcome outcome, AcmeProblemType type) {
        assertThat(outcome).isInstanceOf(ValidationOutcome.Invalid.class);
        ValidationOutcome.Invalid invalid = (ValidationOutcome.Invalid) outcome;
        assertThat(invalid.type()).as(invalid.detail()).isEqualTo(type);
        return invalid;
    }

    @Test
    void http01AcceptsTheKeyAuthorizationAtTheChallengePathWithSurroundingWhitespaceTrimmed() {
        serve(PATH, body(200, "  " + KEY_AUTHORIZATION + "\r\n"));

        assertThat(validate(Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
        assertThat(paths).containsExactly(PATH);
    }

    @Test
    void http01AcceptsAChunkedBody() {
        serve(PATH, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(KEY_AUTHORIZATION.substring(0, 10).getBytes(StandardCharsets.US_ASCII));
            exchange.getResponseBody().flush();
            exchange.getResponseBody().write(KEY_AUTHORIZATION.substring(10).getBytes(StandardCharsets.US_ASCII));
            exchange.close();
        });

        assertThat(validate(Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
    }

    @Test
    void http01SendsTheIdentifierAsHostWithTheNonDefaultPort() {
        serve(PATH, body(200, KEY_AUTHORIZATION));

        validate(Identifier.dns("app.test"));

        assertThat(hosts).containsExactly("app.test:" + port());
    }

    @Test
    void http01SendsTheBareIdentifierAsHostOnPort80() throws Exception {
        Http01Validator.Target target = Http01Validator.challengeUrl(Identifier.dns("app.test"), TOKEN, 80);

        assertThat(target.url()).isEqualTo("http://app.test" + PATH);
        assertThat(Http01Validator.request(target)).startsWith("GET " + PATH + " HTTP/1.1\r\nHost: app.test\r\n");
    }

    @Test
    void http01RejectsAWrongBodyAndQuotesWhatItReceived() {
        serve(PATH, body(200, "not\u0007the key authorization"));

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")),
                AcmeProblemType.INCORRECT_RESPONSE);
        assertThat(invalid.detail()).contains("http://app.test:" + port() + PATH)
                .contains("(127.0.0.1:" + port() + ")")
                .contains("\"not\\u0007the key authorization\"");
    }

    @Test
    void http01RejectsANotFoundAnswer() {
        serve(PATH, body(404, "no such file"));

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")),
                AcmeProblemType.INCORRECT_RESPONSE);
        assertThat(invalid.detail()).contains("answered 404").contains("127.0.0.1:" + port());
    }

    @Test
    void http01FollowsARedirectToAnotherPathOnTheSameHost() {
        serve(PATH, redirect(302, "/moved/" + TOKEN));
        serve("/moved/", body(200, KEY_AUTHORIZATION));

        assertThat(validate(Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
        assertThat(paths).containsExactly(PATH, "/moved/" + TOKEN);
    }

    @Test
    void http01ResolvesARedirectTargetThroughTheConfiguredDnsServer() {
        serve(PATH, redirect(301, "http://other.test:" + port() + "/elsewhere"));
        serve("/elsewhere", body(200, KEY_AUTHORIZATION));

        assertThat(validate(Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
        assertThat(hosts).containsExactly("app.test:" + port(), "other.test:" + port());
        assertThat(dns.questions()).contains("other.test A");
    }

    @Test
    void http01FollowsARedirectToHttpsOnTheTlsPortWithoutJudgingTheCertificate() throws Exception {
        HttpsServer secure = HttpsServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 0);
        secure.setHttpsConfigurator(new HttpsConfigurator(TestTlsAlpnServer.context(
                TestTlsAlpnServer.CertificateSpec.forKeyAuthorization(KEY_AUTHORIZATION).acmeIdentifier(null)
                        .dnsName("self-signed.test").build())));
        List<String> secureHosts = new CopyOnWriteArrayList<>();
        secure.createContext("/secure", exchange -> {
            secureHosts.add(exchange.getRequestHeaders().getFirst("Host"));
            respond(exchange, 200, KEY_AUTHORIZATION);
        });
        secure.start();
        try {
            int securePort = secure.getAddress().getPort();
            serve(PATH, redirect(308, "https://app.test:" + securePort + "/secure"));

            assertThat(validate(settings().withTlsAlpn01Port(securePort), Identifier.dns("app.test")))
                    .isEqualTo(new ValidationOutcome.Valid());
            assertThat(secureHosts).containsExactly("app.test:" + securePort);
        } finally {
            secure.stop(0);
        }
    }

    @Test
    void http01TriesTheIpv4AddressWhenTheIpv6AddressRefuses() {
        dns.aaaa("dual.test", "::1").a("dual.test", "127.0.0.1");
        serve(PATH, body(200, KEY_AUTHORIZATION));

        assertThat(validate(Identifier.dns("dual.test"))).isEqualTo(new ValidationOutcome.Valid());
        assertThat(hosts).containsExactly("dual.test:" + port());
    }

    @Test
    void http01FollowsRedirectOnlyToAllowedPorts() throws IOException {
        HttpServer elsewhere = server("127.0.0.1");
        List<String> reached = new CopyOnWriteArrayList<>();
        elsewhere.createContext("/", exchange -> {
            reached.add(exchange.getRequestURI().getPath());
            respond(exchange, 200, KEY_AUTHORIZATION);
        });
        try {
            int otherPort = elsewhere.getAddress().getPort();
            serve(PATH, redirect(302, "http://app.test:" + otherPort + "/"));

            ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")),
                    AcmeProblemType.INCORRECT_RESPONSE);
            assertThat(invalid.detail()).contains("port " + otherPort + " is not one validation connects to");
            assertThat(reached).isEmpty();
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void http01FollowsRedirectOnlyToHttpAndHttps() {
        serve(PATH, redirect(302, "ftp://app.test/" + TOKEN));

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")),
                AcmeProblemType.INCORRECT_RESPONSE);
        assertThat(invalid.detail()).contains("only http and https are followed");
    }

    @Test
    void http01StopsAfterTheMostRedirectsAllowed() {
        serve(PATH, redirect(307, PATH));

        ValidationOutcome.Invalid invalid = invalid(validate(settings().withMaxRedirects(3), Identifier.dns("app.test")),
                AcmeProblemType.INCORRECT_RESPONSE);
        assertThat(invalid.detail()).contains("redirected more than 3 times");
        assertThat(paths).hasSize(4);
    }

    @Test
    void http01RejectsABodyLargerThanTheLimitWithoutReadingIt() {
        serve(PATH, body(200, KEY_AUTHORIZATION + " ".repeat(9000)));

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")),
                AcmeProblemType.INCORRECT_RESPONSE);
        assertThat(invalid.detail()).contains("a body larger than 8192 bytes");
    }

    @Test
    void http01RejectsAChunkedBodyLargerThanTheLimit() {
        serve(PATH, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            for (int i = 0; i < 10; i++) {
                exchange.getResponseBody().write(new byte[1000]);
                exchange.getResponseBody().flush();
            }
            exchange.close();
        });

        invalid(validate(Identifier.dns("app.test")), AcmeProblemType.INCORRECT_RESPONSE);
    }

    @Test
    void http01ReportsARefusedConnectionAsAConnectionProblem() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            closed = s.getLocalPort();
        }

        ValidationOutcome.Invalid invalid = invalid(validate(settings().withHttp01Port(closed),
                Identifier.dns("app.test")), AcmeProblemType.CONNECTION);
        assertThat(invalid.detail()).isEqualTo("could not connect to 127.0.0.1:" + closed + ": connection refused");
    }

    @Test
    void http01GivesUpOnAServerThatDoesNotAnswerInTime() {
        serve(PATH, exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, KEY_AUTHORIZATION);
        });

        ValidationOutcome.Invalid invalid = invalid(validate(settings().withTimeout(Duration.ofMillis(500)),
                Identifier.dns("app.test")), AcmeProblemType.CONNECTION);
        assertThat(invalid.detail()).isEqualTo("timed out after 500 ms while waiting for http://app.test:" + port()
                + PATH + " (127.0.0.1:" + port() + ")");
    }

    @Test
    void http01LooksUpNamesOnlyThroughTheConfiguredDnsServer() {
        serve(PATH, body(200, KEY_AUTHORIZATION));

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("localhost")), AcmeProblemType.DNS);
        assertThat(invalid.detail()).isEqualTo("DNS server " + dns.hostPort() + " answered NXDOMAIN for A localhost");
        assertThat(paths).isEmpty();
    }

    @Test
    void http01ContactsAnIpv4IdentifierAtTheAddressItself() {
        serve(PATH, body(200, KEY_AUTHORIZATION));

        assertThat(validate(Identifier.ip("127.0.0.1"))).isEqualTo(new ValidationOutcome.Valid());
        assertThat(hosts).containsExactly("127.0.0.1:" + port());
    }

    @Test
    void http01ContactsAnIpv6IdentifierInBrackets() throws IOException {
        HttpServer v6;
        try {
            v6 = server("::1");
        } catch (IOException e) {
            Assumptions.abort("this machine has no IPv6 loopback address ::1: " + e.getMessage());
            return;
        }
        List<String> v6Hosts = new CopyOnWriteArrayList<>();
        v6.createContext(PATH, exchange -> {
            v6Hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            respond(exchange, 200, KEY_AUTHORIZATION);
        });
        try {
            int v6Port = v6.getAddress().getPort();
            assertThat(validate(settings().withHttp01Port(v6Port), Identifier.ip("::1")))
                    .isEqualTo(new ValidationOutcome.Valid());
            assertThat(v6Hosts).containsExactly("[::1]:" + v6Port);
        } finally {
            v6.stop(0);
        }
    }

    @Test
    void http01RefusesAWildcardIdentifier() {
        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("*.app.test")), AcmeProblemType.MALFORMED);
        assertThat(invalid.detail()).contains("wildcard");
    }

    @Test
    void http01RejectsAnAnswerThatIsNotHttp() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                try (var s = raw.accept()) {
                    s.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // The test ends with the listener closed.
                }
            });

            ValidationOutcome.Invalid invalid = invalid(validate(settings().withHttp01Port(raw.getLocalPort()),
                    Identifier.dns("app.test")), AcmeProblemType.INCORRECT_RESPONSE);
            assertThat(invalid.detail()).contains("did not answer HTTP/1.x: \"SSH-2.0-OpenSSH_9.6\"");
        }
    }
}
