package io.certwright.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamePatternTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "*.example.com, api.example.com, true",
        "*.example.com, a.b.example.com, false",
        "**.example.com, a.b.example.com, true",
        "*.example.com, API.EXAMPLE.COM, true",
        "api.example.com, api.example.org, false",
        "*, anything, true",
    })
    void dnsGlob(String glob, String name, boolean matches) {
        assertThat(NamePattern.dns(glob).matches(name)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "spiffe://example.org/ns/*/sa/api, spiffe://example.org/ns/pay/sa/api, true",
        "spiffe://example.org/ns/*, spiffe://example.org/ns/pay/sa/api, false",
        "spiffe://example.org/**, spiffe://example.org/ns/pay/sa/api, true",
        "spiffe://example.org/**, spiffe://Example.org/ns, false",
    })
    void spiffeGlob(String glob, String id, boolean matches) {
        assertThat(NamePattern.spiffe(glob).matches(id)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "*.internal:443, db.internal:443, true",
        "*.internal:443, db.internal:8443, false",
        "10.0.*.*:*, 10.0.3.7:8443, true",
    })
    void endpointGlob(String glob, String endpoint, boolean matches) {
        assertThat(NamePattern.endpoint(glob).matches(endpoint)).isEqualTo(matches);
    }

    @org.junit.jupiter.api.Test
    void manyStarsAgainstALongNameStayFast() {
        NamePattern p = NamePattern.dns("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
        assertThat(p.matches("a".repeat(200))).isFalse();
    }
}
