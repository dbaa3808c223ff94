package io.certwright.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.agent.attestation.EntryMatcher;
import io.certwright.core.SpiffeId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectorTest {

    @Test
    void selectorSplitsAtTheFirstColonSoValuesKeepTheirColons() {
        Selector s = Selector.parse("unix:uid:1000");
        assertThat(s.type()).isEqualTo("unix");
        assertThat(s.value()).isEqualTo("uid:1000");
        assertThat(s).hasToString("unix:uid:1000");
    }

    @Test
    void selectorWithoutTypeOrValueIsRefused() {
        for (String bad : List.of("unix", "unix:", ":uid:0", "")) {
            assertThatThrownBy(() -> Selector.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void entryMatchesOnlyWhenEveryOneOfItsSelectorsIsAmongTheWorkloads() {
        RegistrationEntry entry = new RegistrationEntry("e", SpiffeId.parse("spiffe://example.org/api"),
                SpiffeId.parse("spiffe://example.org/agent"),
                List.of(Selector.parse("unix:uid:1000"), Selector.parse("unix:path:/usr/bin/api")),
                Duration.ofHours(1), Duration.ofMinutes(5), List.of(), false, 1);

        assertThat(EntryMatcher.matches(entry, Set.of(Selector.parse("unix:uid:1000"),
                Selector.parse("unix:path:/usr/bin/api"), Selector.parse("unix:gid:1000")))).isTrue();
        assertThat(EntryMatcher.matches(entry, Set.of(Selector.parse("unix:uid:1000")))).isFalse();
        assertThat(EntryMatcher.matches(entry, Set.of(Selector.parse("unix:uid:1001"),
                Selector.parse("unix:path:/usr/bin/api")))).isFalse();
    }

    @Test
    void entryWithoutSelectorsIsRefusedBecauseItWouldMatchEveryWorkload() {
        assertThatThrownBy(() -> new RegistrationEntry("e", SpiffeId.parse("spiffe://example.org/api"),
                SpiffeId.parse("spiffe://example.org/agent"), List.of(), Duration.ofHours(1), Duration.ofMinutes(5),
                List.of(), false, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
