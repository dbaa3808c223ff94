package io.certwright.inventory.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.TestCertificates;
import jakarta.mail.internet.MimeMessage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The email channel against GreenMail, a real SMTP server: authentication, implicit TLS with server identity
/// checked against a certificate made for the test, and refusal to send without STARTTLS when it is required.
class EmailChannelTest {

    private static final String PASSWORD = "mail-password-42";
    @TempDir
    static Path dir;
    private static SSLSocketFactory trustingTestCa;
    private @org.jspecify.annotations.Nullable GreenMail mail;

    @BeforeAll
    static void serverCertificate() throws Exception {
        KeyPair key = TestCertificates.ecKey();
        X509Certificate cert = TestCertificates.leaf().subject("CN=localhost").dns("localhost").ip("127.0.0.1")
                .key(key).selfSigned().validity(Instant.now().minus(Duration.ofDays(1)),
                        Instant.now().plus(Duration.ofDays(2))).build();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("greenmail", key.getPrivate(), "changeit".toCharArray(), new X509Certificate[] {cert});
        Path file = dir.resolve("smtp.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, "changeit".toCharArray());
        }
        System.setProperty("greenmail.tls.keystore.file", file.toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
        System.setProperty("greenmail.tls.key.password", "changeit");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("smtp", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        trustingTestCa = ctx.getSocketFactory();
    }

    @AfterAll
    static void clearProperties() {
        System.clearProperty("greenmail.tls.keystore.file");
        System.clearProperty("greenmail.tls.keystore.password");
        System.clearProperty("greenmail.tls.key.password");
    }

    @AfterEach
    void stop() {
        GreenMail server = mail;
        if (server != null) {
            server.stop();
        }
    }

    private GreenMail start(String protocol) {
        GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", protocol));
        server.setUser("alerts@example.com", "alerts", PASSWORD);
        server.start();
        mail = server;
        return server;
    }

    private static Notification notification() {
        return new Notification("n-1", AlertKind.EXPIRING, Severity.WARNING, false, Optional.of("payments"),
                "certificate api.example.com expires in 13d (threshold 14d)",
                List.of(new Notification.Item(Fingerprint.sha256(new byte[] {1}), "api.example.com", "expiring",
                        Instant.parse("2030-04-01T00:00:00Z"), Optional.of(Duration.ofDays(14)),
                        List.of("api.example.com:443"))), Instant.parse("2030-03-18T00:00:00Z"));
    }

    private static SmtpSettings settings(int port, SmtpSettings.Security security, String password) {
        return new SmtpSettings("127.0.0.1", port, security, Optional.of("alerts"), Optional.of(Secret.of(password)),
                "certwright@example.com", Duration.ofSeconds(10), Optional.of(trustingTestCa));
    }

    @Test
    void implicitTlsWithAuthenticationDeliversAPlainTextAlert() throws Exception {
        GreenMail mail = start(ServerSetup.PROTOCOL_SMTPS);
        EmailChannel channel = new EmailChannel("mail", settings(mail.getSmtps().getPort(),
                SmtpSettings.Security.TLS, PASSWORD),
                List.of("oncall@example.com"));

        assertThat(channel.send(notification())).isInstanceOf(AlertChannel.Sent.class);
        assertThat(mail.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage m = mail.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("[Certwright] certificate api.example.com expires in 13d (threshold 14d)");
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");
        assertThat((String) m.getContent()).contains("api.example.com (expiring, expires 2030-04-01T00:00:00Z)");
        assertThat(m.getHeader("X-Certwright-Notification")).containsExactly("n-1");
    }

    @Test
    void wrongPasswordIsAPermanentFailureThatDoesNotRevealThePassword() {
        GreenMail mail = start(ServerSetup.PROTOCOL_SMTPS);
        EmailChannel channel = new EmailChannel("mail", settings(mail.getSmtps().getPort(),
                SmtpSettings.Security.TLS, "wrong-password"),
                List.of("oncall@example.com"));

        AlertChannel.Attempt attempt = channel.send(notification());
        assertThat(attempt).isInstanceOf(AlertChannel.PermanentFailure.class);
        assertThat(attempt.toString()).doesNotContain("wrong-password");
        assertThat(channel.toString()).doesNotContain("wrong-password");
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void requiredStartTlsRefusesAServerThatDoesNotOfferIt() {
        GreenMail mail = start(ServerSetup.PROTOCOL_SMTP);
        EmailChannel channel = new EmailChannel("mail", settings(mail.getSmtp().getPort(),
                SmtpSettings.Security.STARTTLS, PASSWORD),
                List.of("oncall@example.com"));

        assertThat(channel.send(notification())).isInstanceOf(AlertChannel.RetryableFailure.class);
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aServerWhoseCertificateIsNotTrustedGetsNoMail() {
        GreenMail mail = start(ServerSetup.PROTOCOL_SMTPS);
        SmtpSettings jdkTrust = new SmtpSettings("127.0.0.1", mail.getSmtps().getPort(), SmtpSettings.Security.TLS,
                Optional.of("alerts"), Optional.of(Secret.of(PASSWORD)), "certwright@example.com",
                Duration.ofSeconds(10), Optional.empty());
        EmailChannel channel = new EmailChannel("mail", jdkTrust, List.of("oncall@example.com"));

        assertThat(channel.send(notification())).isInstanceOf(AlertChannel.RetryableFailure.class);
        assertThat(mail.getReceivedMessages()).isEmpty();
    }
}
