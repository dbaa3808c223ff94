package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void humanDurationsShowTheTwoLargestUnits() {
        assertThat(Text.human(Duration.ofDays(364).plusHours(23).plusMinutes(5))).isEqualTo("364d 23h");
        assertThat(Text.human(Duration.ofMinutes(59).plusSeconds(59))).isEqualTo("59m 59s");
        assertThat(Text.human(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Text.human(Duration.ZERO)).isEqualTo("0s");
    }
}
