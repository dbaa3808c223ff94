package io.certwright.inventory.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.TestCertificates;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/// The email channel against SubEtha SMTP, a real SMTP server that offers STARTTLS (GreenMail does not):
/// a submission server that refuses mail and logins before the upgrade gets the alert over the upgraded
/// connection, with the server's identity checked.
class EmailChannelStartTlsTest {

    private static final String PASSWORD = "submission-password-7";
    private static SSLContext serverTls;
    private static SSLSocketFactory trustingServer;
    private static SSLSocketFactory trustingNobody;
    private final List<String> logins = new CopyOnWriteArrayList<>();
    private final List<MimeMessage> delivered = new CopyOnWriteArrayList<>();
    private @Nullable SMTPServer server;

    @BeforeAll
    static void certificates() throws Exception {
        KeyPair key = TestCertificates.ecKey();
        X509Certificate cert = TestCertificates.leaf().subject("CN=127.0.0.1").ip("127.0.0.1").key(key).selfSigned()
                .validity(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(2))).build();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("smtp", key.getPrivate(), new char[0], new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);

        trustingServer = clientTrusting(cert);
        X509Certificate other = TestCertificates.leaf().subject("CN=127.0.0.1").ip("127.0.0.1")
                .key(TestCertificates.ecKey()).selfSigned()
                .validity(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(2))).build();
        trustingNobody = clientTrusting(other);
    }

    private static SSLSocketFactory clientTrusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("smtp", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    @AfterEach
    void stop() {
        SMTPServer s = server;
        if (s != null) {
            s.stop();
        }
    }

    /// A submission server that accepts nothing (not even a login) before STARTTLS.
    private SMTPServer startTlsRequiredServer() {
        SMTPServer s = SMTPServer.port(0).bindAddress(java.net.InetAddress.getLoopbackAddress()).hostName("127.0.0.1")
                .requireTLS().startTlsSocketFactory(serverTls).requireAuth()
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    if (!"alerts".equals(user) || !PASSWORD.equals(password)) {
                        throw new LoginFailedException("bad credentials");
                    }
                    logins.add(user);
                }))
                .messageHandler((context, from, to, data) -> {
                    try {
                        delivered.add(new MimeMessage(null, new ByteArrayInputStream(data)));
                    } catch (MessagingException e) {
                        throw new IllegalStateException("the server received a message that does not parse", e);
                    }
                })
                .build();
        s.start();
        server = s;
        return s;
    }

    private static SmtpSettings startTls(int port, SSLSocketFactory trust) {
        return new SmtpSettings("127.0.0.1", port, SmtpSettings.Security.STARTTLS, Optional.of("alerts"),
                Optional.of(Secret.of(PASSWORD)), "certwright@example.com", Duration.ofSeconds(10),
                Optional.of(trust));
    }

    private static Notification notification() {
        return new Notification("n-7", AlertKind.EXPIRING, Severity.CRITICAL, false, Optional.of("payments"),
                "certificate api.example.com expires in 2d (threshold 3d)",
                List.of(new Notification.Item(Fingerprint.sha256(new byte[] {7}), "api.example.com", "expiring",
                        Instant.parse("2030-04-01T00:00:00Z"), Optional.of(Duration.ofDays(3)),
                        List.of("api.example.com:443"))), Instant.parse("2030-03-30T00:00:00Z"));
    }

    @Test
    void startTlsWithAuthenticationDeliversTheAlertOverTheUpgradedConnection() {
        SMTPServer s = startTlsRequiredServer();
        EmailChannel channel = new EmailChannel("mail", startTls(s.getPortAllocated(), trustingServer),
                List.of("oncall@example.com"));

        assertThat(channel.send(notification())).isInstanceOf(AlertChannel.Sent.class);
        assertThat(logins).containsExactly("alerts");
        assertThat(delivered).singleElement().satisfies(m -> {
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");
            assertThat(m.getSubject()).isEqualTo("[Certwright] certificate api.example.com expires in 2d (threshold 3d)");
            assertThat(m.getHeader("X-Certwright-Notification")).containsExactly("n-7");
        });
    }

    @Test
    void startTlsToAServerWhoseCertificateIsNotTrustedSendsNeitherPasswordNorMail() {
        SMTPServer s = startTlsRequiredServer();
        EmailChannel channel = new EmailChannel("mail", startTls(s.getPortAllocated(), trustingNobody),
                List.of("oncall@example.com"));

        assertThat(channel.send(notification())).isInstanceOf(AlertChannel.RetryableFailure.class);
        assertThat(logins).isEmpty();
        assertThat(delivered).isEmpty();
    }
}
