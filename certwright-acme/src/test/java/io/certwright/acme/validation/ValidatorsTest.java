package io.certwright.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Identifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// What every validation shares: dispatch by type, refusal of odd input, turns and time limits.
class ValidatorsTest {

    static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    static TestDnsServer dns;

    @BeforeAll
    static void startDns() throws IOException {
        dns = TestDnsServer.start();
        dns.a("app.test", "127.0.0.1").a("slow.test", "127.0.0.1");
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    private static Validators validators() {
        return new Validators(ValidationSettings.defaults().withDnsServer(dns.hostPort())
                .withTimeout(Duration.ofSeconds(2)));
    }

    private static ValidationOutcome.Invalid invalid(CompletableFuture<ValidationOutcome> future,
            AcmeProblemType type) {
        ValidationOutcome outcome = future.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(outcome).isInstanceOf(ValidationOutcome.Invalid.class);
        ValidationOutcome.Invalid invalid = (ValidationOutcome.Invalid) outcome;
        assertThat(invalid.type()).as(invalid.detail()).isEqualTo(type);
        return invalid;
    }

    @Test
    void anUnknownChallengeTypeIsMalformed() {
        ValidationOutcome.Invalid invalid = invalid(validators().validate(Identifier.dns("app.test"), "http-02",
                TOKEN, KEY_AUTHORIZATION), AcmeProblemType.MALFORMED);
        assertThat(invalid.detail()).isEqualTo("unknown challenge type \"http-02\"");
    }

    @Test
    void aTokenThatIsNotBase64urlNeverReachesARequest() {
        String token = "a b\r\nHost: evil.test";
        invalid(validators().validate(Identifier.dns("never-asked.test"), Validators.HTTP_01, token, token + ".x"),
                AcmeProblemType.MALFORMED);
        assertThat(dns.questions()).noneMatch(q -> q.startsWith("never-asked.test"));
    }

    @Test
    void aKeyAuthorizationOfAnotherTokenIsMalformed() {
        invalid(validators().validate(Identifier.dns("app.test"), Validators.DNS_01, TOKEN, "other.thumbprint"),
                AcmeProblemType.MALFORMED);
    }

    @Test
    void aDnsIdentifierWithCharactersOutsideHostnamesIsMalformed() {
        for (String value : new String[] {"app.test/evil", "app test", "app.test:80", "app..test", "a.*.test"}) {
            invalid(validators().validate(Identifier.dns(value), Validators.HTTP_01, TOKEN, KEY_AUTHORIZATION),
                    AcmeProblemType.MALFORMED);
        }
    }

    @Test
    void anIpIdentifierThatIsNotAnAddressIsMalformed() {
        invalid(validators().validate(Identifier.ip("10.0.0.256"), Validators.TLS_ALPN_01, TOKEN, KEY_AUTHORIZATION),
                AcmeProblemType.MALFORMED);
    }

    @Test
    void validationsBeyondTheConcurrencyLimitWaitForATurnAndThenGetTheirWholeTimeLimit() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            if (exchange.getRequestHeaders().getFirst("Host").startsWith("slow.test:")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = KEY_AUTHORIZATION.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Validators one = new Validators(ValidationSettings.defaults().withDnsServer(dns.hostPort())
                    .withHttp01Port(server.getAddress().getPort()).withTimeout(Duration.ofSeconds(2))
                    .withMaxConcurrent(1));

            CompletableFuture<ValidationOutcome> slow = one.validate(Identifier.dns("slow.test"), Validators.HTTP_01,
                    TOKEN, KEY_AUTHORIZATION);
            CompletableFuture<ValidationOutcome> queued = one.validate(Identifier.dns("app.test"), Validators.HTTP_01,
                    TOKEN, KEY_AUTHORIZATION);

            // The queued validation waits the slow one's whole time limit for its turn; had its own time limit
            // run while it waited, it would have timed out as well.
            ValidationOutcome.Invalid timedOut = invalid(slow, AcmeProblemType.CONNECTION);
            assertThat(timedOut.detail()).startsWith("timed out after 2 s while waiting for http://slow.test:");
            assertThat(queued.orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(new ValidationOutcome.Valid());
        } finally {
            release.countDown();
            server.stop(0);
        }
    }
}
