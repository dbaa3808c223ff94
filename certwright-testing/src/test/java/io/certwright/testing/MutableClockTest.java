package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void clockStandsStillUntilMoved() {
        MutableClock clock = MutableClock.at(T);

        assertThat(clock.instant()).isEqualTo(T);
        assertThat(clock.instant()).isEqualTo(T);
        assertThat(clock.millis()).isEqualTo(T.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void advanceMovesTheClockAndReturnsTheNewInstant() {
        MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");

        Instant later = clock.advance(Duration.ofHours(25));

        assertThat(later).isEqualTo(T.plus(Duration.ofHours(25)));
        assertThat(clock.instant()).isEqualTo(later);
        assertThat(clock.advance(Duration.ofHours(-1))).isEqualTo(T.plus(Duration.ofHours(24)));
    }

    @Test
    void setJumpsToAnInstant() {
        MutableClock clock = MutableClock.at(T);

        clock.set(T.minusSeconds(5));

        assertThat(clock.instant()).isEqualTo(T.minusSeconds(5));
    }

    @Test
    void clockInAnotherZoneSharesTheInstant() {
        MutableClock clock = MutableClock.at(T);
        ZoneId paris = ZoneId.of("Europe/Paris");

        var zoned = clock.withZone(paris);
        clock.advance(Duration.ofMinutes(3));

        assertThat(zoned.getZone()).isEqualTo(paris);
        assertThat(zoned.instant()).isEqualTo(T.plus(Duration.ofMinutes(3)));
    }
}
