package io.certwright.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.acme.store.Identifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @ParameterizedTest
    @CsvSource({"2001:DB8:0:0:0:0:0:1, 2001:db8::1", "0:0:0:0:0:0:0:1, ::1", "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "fe80:0:0:0:0:0:0:0, fe80::", "2001:db8:1:1:1:1:1:1, "
            + "2001:db8:1:1:1:1:1:1", "10.0.0.1, 10.0.0.1"})
    void ipIdentifiersAreKeptInCanonicalText(String given, String canonical) throws Exception {
        assertThat(Identifiers.parse("ip", given)).isEqualTo(Identifier.ip(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a.example.com", "a..example.com", "*.com", "a.*.example.com", "**.example.com",
        "exa mple.com", "example.com.", "10.0.0.1", "::1"})
    void invalidDnsNamesAreRejected(String name) {
        AcmeException e = assertThrows(AcmeException.class, () -> Identifiers.parse("dns", name));
        assertThat(e.problem().type()).isEqualTo(AcmeProblemType.REJECTED_IDENTIFIER);
    }

    @ParameterizedTest
    @CsvSource({"*.svc.cluster.local, a.ns.svc.cluster.local, true", "*.svc.cluster.local, *.ns.svc.cluster.local, true",
        "*.svc.cluster.local, svc.cluster.local, false", "*.svc.cluster.local, evilsvc.cluster.local, false",
        "api.example.com, api.example.com, true", "api.example.com, x.api.example.com, false"})
    void dnsPatternsMatchSuffixesOrExactNames(String pattern, String name, boolean matches) {
        assertThat(new IdentifierPattern(pattern).matches(Identifier.dns(name))).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8, 10.200.1.1, true", "10.0.0.0/8, 11.0.0.1, false", "fd00::/8, fd12::1, true"})
    void cidrPatternsMatchAddressesInRange(String pattern, String address, boolean matches) {
        assertThat(new IdentifierPattern(pattern).matches(Identifier.ip(address))).isEqualTo(matches);
    }
}
