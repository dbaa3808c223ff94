package io.certwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0}: ''{1}''")
    @CsvSource({
            "ok days, 90d, PT2160H",
            "ok hours, 24h, PT24H",
            "ok minutes, 30m, PT30M",
            "ok seconds, 45s, PT45S",
            "ok combination, 1h30m, PT1H30M",
            "ok every unit, 1d2h3m4s, PT26H3M4S",
            "ok repeated unit adds up, 1h1h, PT2H",
            "ok uppercase units, 2H, PT2H",
            "ok surrounding blanks, ' 5m ', PT5M",
            "ok ISO-8601, PT1H, PT1H",
            "ok ISO-8601 lowercase, pt90m, PT1H30M",
            "ok ISO-8601 days, P2D, PT48H",
            "ok nine digits, 999999999s, PT277777H46M39S"
    })
    void parseAcceptsCompactAndIsoForms(String name, String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "{0}: ''{1}''")
    @CsvSource({
            "fail empty, '', invalid duration ''",
            "fail blank, '  ', invalid duration ''",
            "fail zero, 0s, duration must be positive: '0s'",
            "fail ISO zero, PT0S, duration must be positive: 'PT0S'",
            "fail ISO negative, PT-1H, duration must be positive: 'PT-1H'",
            "fail negative, -1h, invalid duration '-1h'",
            "fail unit missing, 10, invalid duration '10'",
            "fail trailing number, 1h30, invalid duration '1h30'",
            "fail number missing, h, invalid duration 'h'",
            "fail unknown unit, 3w, unknown unit 'w'",
            "fail ten digits, 1234567890s, invalid duration '1234567890s'",
            "fail malformed ISO, PTX, invalid duration 'PTX'",
            "fail fraction, 1.5h, invalid duration '1.5h'"
    })
    void parseRefusesMalformedZeroAndNegativeNamingTheInput(String name, String text, String message) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ok days, PT2160H, 90d",
            "ok one day, PT24H, 1d",
            "ok hours and minutes, PT1H30M, 1h30m",
            "ok every unit, PT26H3M4S, 1d2h3m4s",
            "ok seconds only, PT45S, 45s",
            "ok zero, PT0S, 0s",
            "ok sub-second dropped, PT1M0.5S, 1m"
    })
    void formatWritesTheShortestCompactForm(String name, String duration, String expected) {
        assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
    }

    @Property
    void formatThenParseRoundTrips(@ForAll @LongRange(min = 1, max = 3_650L * 86_400) long seconds) {
        Duration d = Duration.ofSeconds(seconds);

        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
