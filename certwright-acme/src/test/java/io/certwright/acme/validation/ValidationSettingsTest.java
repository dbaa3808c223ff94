package io.certwright.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidationSettingsTest {

    @Test
    void defaultsArePort80Port443TheSystemResolverAndTenSeconds() {
        ValidationSettings d = ValidationSettings.defaults();

        assertThat(d.http01Port()).isEqualTo(80);
        assertThat(d.tlsAlpn01Port()).isEqualTo(443);
        assertThat(d.dnsServer()).isEmpty();
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.maxRedirects()).isEqualTo(10);
        assertThat(d.maxBodyBytes()).isEqualTo(8192);
        assertThat(d.maxConcurrent()).isEqualTo(256);
    }

    @Test
    void dnsServerTakesAnIpv4OrBracketedIpv6AddressWithAnOptionalPort() {
        assertThat(ValidationSettings.parseDnsServer("127.0.0.1:5353"))
                .isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 5353));
        assertThat(ValidationSettings.parseDnsServer("10.96.0.10"))
                .isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("10.96.0.10"), 53));
        assertThat(ValidationSettings.parseDnsServer("[::1]:53"))
                .isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("::1"), 53));
        assertThat(ValidationSettings.parseDnsServer("[fd00::10]"))
                .isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("fd00::10"), 53));
        assertThat(ValidationSettings.parseDnsServer("fd00::10"))
                .isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("fd00::10"), 53));
        assertThat(ValidationSettings.defaults().withDnsServer("[::1]:5300").dnsServerAddress())
                .contains(new InetSocketAddress(InetAddress.ofLiteral("::1"), 5300));
    }

    @Test
    void dnsServerMustBeAnAddressNotANameAndAValidPort() {
        for (String bad : new String[] {"dns.example.com:53", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", "[::1",
            "[::1]53", "127.0.0.1:5x"}) {
            assertThatThrownBy(() -> ValidationSettings.defaults().withDnsServer(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("acme.validation dnsServer must be an IP address and port");
        }
    }

    @Test
    void limitsOutsideTheirRangesAreRefused() {
        ValidationSettings d = ValidationSettings.defaults();
        assertThatThrownBy(() -> d.withHttp01Port(0)).hasMessageContaining("http01Port");
        assertThatThrownBy(() -> d.withTlsAlpn01Port(70000)).hasMessageContaining("tlsAlpn01Port");
        assertThatThrownBy(() -> d.withTimeout(Duration.ZERO)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> d.withMaxRedirects(-1)).hasMessageContaining("maxRedirects");
        assertThatThrownBy(() -> d.withMaxBodyBytes(10)).hasMessageContaining("maxBodyBytes");
        assertThatThrownBy(() -> d.withMaxConcurrent(0)).hasMessageContaining("maxConcurrent");
        assertThatThrownBy(() -> new ValidationSettings(80, 443, Optional.of("nope"), Duration.ofSeconds(1), 1, 1024,
                1)).hasMessageContaining("dnsServer");
    }
}
