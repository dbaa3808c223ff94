package io.certwright.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {

    private static final Instant NOT_BEFORE = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofHours(1));

    @Test
    void renewalFallsBetweenHalfAndSixtyPercentOfTheLifetimeForEverySeed() {
        for (long seed = -500; seed < 500; seed++) {
            Instant at = RenewalPolicy.renewalTime(NOT_BEFORE, NOT_AFTER, seed * 7919);
            assertThat(at).isAfterOrEqualTo(NOT_BEFORE.plus(Duration.ofMinutes(30)))
                    .isBefore(NOT_BEFORE.plus(Duration.ofMinutes(36)));
        }
    }

    @Test
    void sameSeedAlwaysGivesTheSameInstant() {
        assertThat(RenewalPolicy.renewalTime(NOT_BEFORE, NOT_AFTER, 42))
                .isEqualTo(RenewalPolicy.renewalTime(NOT_BEFORE, NOT_AFTER, 42));
    }

    @Test
    void differentSeedsSpreadRenewalsOfCertificatesIssuedTogether() {
        Set<Instant> instants = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            instants.add(RenewalPolicy.renewalTime(NOT_BEFORE, NOT_AFTER, seed));
        }
        assertThat(instants).hasSizeGreaterThan(90);
    }

    @Test
    void certificateWithAnEmptyOrInvertedValidityIsDueAtOnce() {
        assertThat(RenewalPolicy.renewalTime(NOT_BEFORE, NOT_BEFORE, 1)).isEqualTo(NOT_BEFORE);
        assertThat(RenewalPolicy.renewalTime(NOT_AFTER, NOT_BEFORE, 1)).isEqualTo(NOT_AFTER);
    }
}
