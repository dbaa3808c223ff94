package io.certwright.ca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PatternSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "*.", "**.", "*", "a..b", "-a.example", "*.*.example.com", "api.example.com."})
    void dnsPatternRejectsPatternsThatAreNotANameOrAWildcardOverAName(String pattern) {
        assertThatThrownBy(() -> DnsPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid DNS pattern");
    }

    @ParameterizedTest
    @ValueSource(strings = {"**", "*.example.com", "**.example.com", "api.example.com"})
    void dnsPatternAcceptsTheDocumentedForms(String pattern) {
        assertThat(DnsPattern.parse(pattern).pattern()).isEqualTo(pattern);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3/8", "10.0.0.0/8", "10.255.255.255/8"})
    void ipRangeClearsHostBitsSoEquivalentRangesAreEqual(String cidr) {
        assertThat(IpRange.parse(cidr)).isEqualTo(IpRange.parse("10.0.0.0/8"));
        assertThat(IpRange.parse(cidr).toString()).isEqualTo("10.0.0.0/8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fd00::1/8", "fdff:ffff::/8"})
    void ipv6RangeClearsHostBits(String cidr) {
        assertThat(IpRange.parse(cidr)).isEqualTo(IpRange.parse("fd00::/8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/x", "256.0.0.1", "example.com"})
    void ipRangeRejectsMalformedRanges(String cidr) {
        assertThatThrownBy(() -> IpRange.parse(cidr)).isInstanceOf(IllegalArgumentException.class);
    }
}
