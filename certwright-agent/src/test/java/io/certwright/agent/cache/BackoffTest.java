package io.certwright.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = Backoff.DEFAULT;

    @Test
    void ceilingDoublesFromOneSecondAndStopsAtTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(backoff.ceiling(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void delayIsFullJitterNeverAboveTheCeilingAndNotAlwaysTheSame() {
        SplittableRandom random = new SplittableRandom(1);
        Duration min = Duration.ofDays(1);
        Duration max = Duration.ZERO;
        for (int i = 0; i < 1_000; i++) {
            Duration d = backoff.delay(3, random);
            assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(4));
            min = d.compareTo(min) < 0 ? d : min;
            max = d.compareTo(max) > 0 ? d : max;
        }
        assertThat(min).isLessThan(Duration.ofSeconds(1));
        assertThat(max).isGreaterThan(Duration.ofSeconds(3));
    }

    @Test
    void capBelowTheBaseIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
