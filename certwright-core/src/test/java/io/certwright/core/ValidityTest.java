package io.certwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValidityTest {

    private static final Instant T = Instant.parse("2030-06-01T12:00:00Z");
    private final Validity day = new Validity(T, T.plus(Duration.ofDays(1)));

    @Test
    void notAfterMustBeAfterNotBefore() {
        assertThatThrownBy(() -> new Validity(T, T)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("notAfter must be after notBefore");
        assertThatThrownBy(() -> new Validity(T, T.minusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Validity(T, T.plusSeconds(1)).duration()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void startingBackdatesNotBeforeAndCountsLifetimeFromStart() {
        Validity v = Validity.starting(T, Duration.ofHours(24), Duration.ofMinutes(1));

        assertThat(v.notBefore()).isEqualTo(T.minus(Duration.ofMinutes(1)));
        assertThat(v.notAfter()).isEqualTo(T.plus(Duration.ofHours(24)));
        assertThat(v.duration()).isEqualTo(Duration.ofHours(24).plusMinutes(1));
    }

    @Test
    void containsInstantIncludesBothEnds() {
        assertThat(day.contains(T)).isTrue();
        assertThat(day.contains(T.plus(Duration.ofDays(1)))).isTrue();
        assertThat(day.contains(T.plus(Duration.ofHours(5)))).isTrue();
        assertThat(day.contains(T.minusNanos(1))).isFalse();
        assertThat(day.contains(T.plus(Duration.ofDays(1)).plusNanos(1))).isFalse();
    }

    @Test
    void containsValidityRequiresTheWholeWindowInside() {
        assertThat(day.contains(day)).isTrue();
        assertThat(day.contains(new Validity(T.plusSeconds(1), T.plus(Duration.ofHours(1))))).isTrue();
        assertThat(day.contains(new Validity(T.minusSeconds(1), T.plus(Duration.ofHours(1))))).isFalse();
        assertThat(day.contains(new Validity(T.plusSeconds(1), T.plus(Duration.ofDays(1)).plusSeconds(1)))).isFalse();
    }

    @Test
    void remainingIsNegativeOnceExpired() {
        assertThat(day.remaining(T)).isEqualTo(Duration.ofDays(1));
        assertThat(day.remaining(T.plus(Duration.ofDays(1)))).isZero();
        assertThat(day.remaining(T.plus(Duration.ofDays(2)))).isEqualTo(Duration.ofDays(-1));
    }
}
