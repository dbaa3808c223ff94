package io.certwright.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Identifier;
import io.certwright.acme.validation.TestTlsAlpnServer.Alpn;
import io.certwright.acme.validation.TestTlsAlpnServer.CertificateSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// tls-alpn-01 against real TLS servers on loopback presenting right and wrong acmeIdentifier certificates.
class TlsAlpn01Test {

    static final String TOKEN = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
    static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    static TestDnsServer dns;

    @BeforeAll
    static void startDns() throws IOException {
        dns = TestDnsServer.start();
        dns.a("app.test", "127.0.0.1");
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    private static ValidationOutcome validate(TestTlsAlpnServer server, Identifier identifier) {
        return validate(server.port(), identifier);
    }

    private static ValidationOutcome validate(int port, Identifier identifier) {
        ValidationSettings settings = ValidationSettings.defaults().withDnsServer(dns.hostPort())
                .withTlsAlpn01Port(port).withTimeout(Duration.ofSeconds(5));
        return new Validators(settings).validate(identifier, Validators.TLS_ALPN_01, TOKEN, KEY_AUTHORIZATION)
                .orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static ValidationOutcome.Invalid invalid(ValidationOutcome outcome, AcmeProblemType type) {
        assertThat(outcome).isInstanceOf(ValidationOutcome.Invalid.class);
        ValidationOutcome.Invalid invalid = (ValidationOutcome.Invalid) outcome;
        assertThat(invalid.type()).as(invalid.detail()).isEqualTo(type);
        return invalid;
    }

    private static CertificateSpec spec() throws Exception {
        return CertificateSpec.forKeyAuthorization(KEY_AUTHORIZATION);
    }

    @Test
    void tlsAlpn01AcceptsTheDigestInACriticalAcmeIdentifierForTheIdentifierAloneAndSendsItAsSni()
            throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().dnsName("app.test").build(), Alpn.ACME_TLS_1)) {
            assertThat(validate(server, Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
            assertThat(server.serverNames()).containsExactly("app.test");
        }
    }

    @Test
    void tlsAlpn01RejectsTheDigestOfAnotherKeyAuthorization() throws Exception {
        byte[] other = java.security.MessageDigest.getInstance("SHA-256")
                .digest("other.key-authorization".getBytes(StandardCharsets.UTF_8));
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(
                spec().dnsName("app.test").acmeIdentifier(other).build(), Alpn.ACME_TLS_1)) {
            ValidationOutcome.Invalid invalid = invalid(validate(server, Identifier.dns("app.test")),
                    AcmeProblemType.INCORRECT_RESPONSE);
            assertThat(invalid.detail()).startsWith("the certificate 127.0.0.1:" + server.port() + " presented")
                    .contains("not the SHA-256 digest of the key authorization");
        }
    }

    @Test
    void tlsAlpn01RejectsAnAcmeIdentifierThatIsNotCritical() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().dnsName("app.test").notCritical().build(),
                Alpn.ACME_TLS_1)) {
            ValidationOutcome.Invalid invalid = invalid(validate(server, Identifier.dns("app.test")),
                    AcmeProblemType.INCORRECT_RESPONSE);
            assertThat(invalid.detail()).contains("not marked critical");
        }
    }

    @Test
    void tlsAlpn01RejectsAnAcmeIdentifierThatIsNotAnOctetString() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().dnsName("app.test").bareDigest().build(),
                Alpn.ACME_TLS_1)) {
            ValidationOutcome.Invalid invalid = invalid(validate(server, Identifier.dns("app.test")),
                    AcmeProblemType.INCORRECT_RESPONSE);
            assertThat(invalid.detail()).contains("not a DER OCTET STRING of 32 bytes");
        }
    }

    @Test
    void tlsAlpn01RejectsACertificateWithoutAcmeIdentifier() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().dnsName("app.test").acmeIdentifier(null).build(),
                Alpn.ACME_TLS_1)) {
            ValidationOutcome.Invalid invalid = invalid(validate(server, Identifier.dns("app.test")),
                    AcmeProblemType.INCORRECT_RESPONSE);
            assertThat(invalid.detail()).contains("has no acmeIdentifier extension");
        }
    }

    @Test
    void tlsAlpn01RejectsACertificateForAnotherName() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().dnsName("other.test").build(),
                Alpn.ACME_TLS_1)) {
            ValidationOutcome.Invalid invalid = invalid(validate(server, Identifier.dns("app.test")),
                    AcmeProblemType.INCORRECT_RESPONSE);
            assertThat(invalid.detail()).contains("[dNSName \"other.test\"]")
                    .contains("it must hold exactly dNSName app.test");
        }
    }

    @Test
    void tlsAlpn01RejectsACertificateNamingMoreThanTheIdentifier() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(
                spec().dnsName("app.test").dnsName("other.test").build(), Alpn.ACME_TLS_1)) {
            invalid(validate(server, Identifier.dns("app.test")), AcmeProblemType.INCORRECT_RESPONSE);
        }
    }

    @Test
    void tlsAlpn01RejectsACertificateWithoutSubjectAltName() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().build(), Alpn.ACME_TLS_1)) {
            ValidationOutcome.Invalid invalid = invalid(validate(server, Identifier.dns("app.test")),
                    AcmeProblemType.INCORRECT_RESPONSE);
            assertThat(invalid.detail()).contains("has no subjectAltName");
        }
    }

    @Test
    void tlsAlpn01RequiresTheServerToSelectAcmeTls1() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().dnsName("app.test").build(), Alpn.NONE)) {
            ValidationOutcome.Invalid invalid = invalid(validate(server, Identifier.dns("app.test")),
                    AcmeProblemType.TLS);
            assertThat(invalid.detail()).isEqualTo("127.0.0.1:" + server.port()
                    + " (SNI app.test) did not select the ALPN protocol acme-tls/1");
        }
    }

    @Test
    void tlsAlpn01ReportsAServerRefusingAcmeTls1AsATlsProblem() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().dnsName("app.test").build(), Alpn.REFUSE)) {
            ValidationOutcome.Invalid invalid = invalid(validate(server, Identifier.dns("app.test")),
                    AcmeProblemType.TLS);
            assertThat(invalid.detail()).startsWith("the TLS handshake with 127.0.0.1:" + server.port()
                    + " (SNI app.test) failed");
        }
    }

    @Test
    void tlsAlpn01SendsTheReverseNameAsSniAndMatchesTheIpAddressForAnIpIdentifier() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().ipAddress("127.0.0.1").build(),
                Alpn.ACME_TLS_1)) {
            assertThat(validate(server, Identifier.ip("127.0.0.1"))).isEqualTo(new ValidationOutcome.Valid());
            assertThat(server.serverNames()).containsExactly("1.0.0.127.in-addr.arpa");
        }
    }

    @Test
    void tlsAlpn01RejectsADnsNameForAnIpIdentifier() throws Exception {
        try (TestTlsAlpnServer server = TestTlsAlpnServer.start(spec().dnsName("127.0.0.1").build(),
                Alpn.ACME_TLS_1)) {
            invalid(validate(server, Identifier.ip("127.0.0.1")), AcmeProblemType.INCORRECT_RESPONSE);
        }
    }

    @Test
    void tlsAlpn01ReportsARefusedConnectionAsAConnectionProblem() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        ValidationOutcome.Invalid invalid = invalid(validate(closed, Identifier.dns("app.test")),
                AcmeProblemType.CONNECTION);
        assertThat(invalid.detail()).isEqualTo("could not connect to 127.0.0.1:" + closed + ": connection refused");
    }

    @Test
    void tlsAlpn01ReportsAServerThatDoesNotSpeakTlsAsATlsProblem() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                try (var s = raw.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // The test ends with the listener closed.
                }
            });
            invalid(validate(raw.getLocalPort(), Identifier.dns("app.test")), AcmeProblemType.TLS);
        }
    }
}
