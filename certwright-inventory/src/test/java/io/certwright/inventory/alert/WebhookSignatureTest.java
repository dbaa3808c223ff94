package io.certwright.inventory.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final Secret SECRET = Secret.of("s3cret");
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final byte[] BODY = "{\"kind\":\"expiring\"}".getBytes(StandardCharsets.UTF_8);
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static boolean verify(String ts, String sig, byte[] body) {
        return WebhookSignature.verify(SECRET, Optional.of(ts), Optional.of(sig), body, NOW, TOLERANCE);
    }

    @Test
    void signatureVerifiesWithinTheToleranceOnly() {
        long ts = NOW.getEpochSecond();
        String sig = WebhookSignature.sign(SECRET, ts, BODY);
        assertThat(verify(Long.toString(ts), sig, BODY)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, Optional.of(Long.toString(ts)), Optional.of(sig), BODY,
                NOW.plus(Duration.ofMinutes(6)), TOLERANCE)).isFalse();
    }

    @Test
    void aReplayedBodyWithANewTimestampFails() {
        long ts = NOW.getEpochSecond() - 3600;
        String sig = WebhookSignature.sign(SECRET, ts, BODY);
        assertThat(verify(Long.toString(NOW.getEpochSecond()), sig, BODY)).isFalse();
    }

    @Test
    void tamperedBodyAndMalformedHeadersFailWithoutThrowing() {
        long ts = NOW.getEpochSecond();
        String sig = WebhookSignature.sign(SECRET, ts, BODY);
        assertThat(verify(Long.toString(ts), sig, "{}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(verify("not-a-number", sig, BODY)).isFalse();
        assertThat(verify("99999999999999999999", sig, BODY)).isFalse();
        assertThat(verify(Long.toString(ts), "sha256=zz", BODY)).isFalse();
        assertThat(verify(Long.toString(ts), "md5=" + sig.substring(7), BODY)).isFalse();
        assertThat(verify(Long.toString(ts), "sha256=", BODY)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Optional.empty(), Optional.of(sig), BODY, NOW, TOLERANCE))
                .isFalse();
    }

    @Test
    void secretsAndSmtpPasswordsNeverPrint() {
        assertThat(SECRET.toString()).doesNotContain("s3cret");
        SmtpSettings smtp = SmtpSettings.startTls("smtp.example.com", 587, "alerts", Secret.of("hunter2"),
                "certwright@example.com");
        assertThat(smtp.toString()).doesNotContain("hunter2").contains("password=set");
    }

    @Test
    void backoffGrowsIsCappedAndJitterOnlyShortens() {
        RetryPolicy p = new RetryPolicy(6, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(10), 0.5);
        java.util.random.RandomGenerator max = new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0.999;
            }
        };
        java.util.random.RandomGenerator min = new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0.0;
            }
        };
        assertThat(p.delayBefore(2, min)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.delayBefore(3, min)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.delayBefore(5, min)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delayBefore(3, max)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }
}
