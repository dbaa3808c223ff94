package io.certwright.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.acme.store.Identifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/// A provisioner's identifier allow-list: name suffixes, exact names, networks and single addresses.
class IdentifierPatternTest {

    private static boolean allows(List<String> patterns, Identifier identifier) {
        return AcmeProvisionerSettings.of("p").withAllowedIdentifiers(patterns.toArray(String[]::new))
                .allows(identifier);
    }

    @Test
    void anEmptyListAllowsEveryIdentifier() {
        assertThat(allows(List.of(), Identifier.dns("anything.example"))).isTrue();
        assertThat(allows(List.of(), Identifier.ip("203.0.113.9"))).isTrue();
        assertThat(allows(List.of(), Identifier.dns("*.example.com"))).isTrue();
    }

    @Test
    void aSuffixPatternAllowsNamesBelowItAtAnyDepthButNotItsBaseName() {
        List<String> patterns = List.of("*.svc.cluster.local");

        assertThat(allows(patterns, Identifier.dns("web.svc.cluster.local"))).isTrue();
        assertThat(allows(patterns, Identifier.dns("api.prod.svc.cluster.local"))).isTrue();
        assertThat(allows(patterns, Identifier.dns("svc.cluster.local"))).isFalse();
        assertThat(allows(patterns, Identifier.dns("evilsvc.cluster.local"))).isFalse();
        assertThat(allows(patterns, Identifier.dns("svc.cluster.local.evil.test"))).isFalse();
    }

    @Test
    void aSuffixPatternAllowsWildcardsAtOrBelowItsBaseName() {
        List<String> patterns = List.of("*.svc.cluster.local");

        assertThat(allows(patterns, Identifier.dns("*.svc.cluster.local"))).isTrue();
        assertThat(allows(patterns, Identifier.dns("*.prod.svc.cluster.local"))).isTrue();
        assertThat(allows(patterns, Identifier.dns("*.cluster.local"))).isFalse();
    }

    @Test
    void anExactPatternAllowsThatNameOnly() {
        List<String> patterns = List.of("Example.COM");

        assertThat(allows(patterns, Identifier.dns("example.com"))).isTrue();
        assertThat(allows(patterns, Identifier.dns("www.example.com"))).isFalse();
        assertThat(allows(patterns, Identifier.dns("*.example.com"))).isFalse();
    }

    @Test
    void anIpv4NetworkAllowsItsAddressesOnly() {
        List<String> patterns = List.of("10.0.0.0/8", "192.168.1.0/25");

        assertThat(allows(patterns, Identifier.ip("10.200.3.4"))).isTrue();
        assertThat(allows(patterns, Identifier.ip("192.168.1.127"))).isTrue();
        assertThat(allows(patterns, Identifier.ip("192.168.1.128"))).isFalse();
        assertThat(allows(patterns, Identifier.ip("11.0.0.1"))).isFalse();
    }

    @Test
    void anIpv6NetworkAllowsItsAddressesOnly() {
        List<String> patterns = List.of("fd00::/8", "2001:db8:1::/48");

        assertThat(allows(patterns, Identifier.ip("fd12:3456::1"))).isTrue();
        assertThat(allows(patterns, Identifier.ip("2001:db8:1:ffff::1"))).isTrue();
        assertThat(allows(patterns, Identifier.ip("2001:db8:2::1"))).isFalse();
        assertThat(allows(patterns, Identifier.ip("10.0.0.1"))).isFalse();
    }

    @Test
    void aSingleAddressAllowsThatAddressInAnySpelling() {
        assertThat(allows(List.of("::1"), Identifier.ip("0:0:0:0:0:0:0:1"))).isTrue();
        assertThat(allows(List.of("10.1.2.3"), Identifier.ip("10.1.2.3"))).isTrue();
        assertThat(allows(List.of("10.1.2.3"), Identifier.ip("10.1.2.4"))).isFalse();
    }

    @Test
    void namePatternsNeverAllowAddressesAndNetworksNeverAllowNames() {
        assertThat(allows(List.of("*.test"), Identifier.ip("127.0.0.1"))).isFalse();
        assertThat(allows(List.of("0.0.0.0/0", "::/0"), Identifier.dns("app.test"))).isFalse();
        assertThat(allows(List.of("0.0.0.0/0"), Identifier.ip("198.51.100.1"))).isTrue();
    }

    @Test
    void malformedPatternsAreRefusedWhenConfigured() {
        for (String bad : List.of("10.0.0.0/33", "a.*.example.com", "*.", "300.1.1.1", "exa mple.com")) {
            assertThatThrownBy(() -> new IdentifierPattern(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid identifier pattern");
        }
    }
}
