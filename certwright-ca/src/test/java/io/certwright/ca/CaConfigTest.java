package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.GlobPattern;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.TrustDomain;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaConfigTest {

    private static final TrustDomain TD = new TrustDomain("example.org");

    private static String valid() {
        return new CaConfig("Acme", Optional.of(TD), KeyAlgorithm.P256, CaSettings.defaults(List.of(TD))).format();
    }

    @Test
    void defaultConfigRoundTrips() throws Exception {
        CaConfig config = new CaConfig("Acme", Optional.of(TD), KeyAlgorithm.P256, CaSettings.defaults(List.of(TD)));

        assertThat(CaConfig.parse(config.format())).isEqualTo(config);
    }

    @Test
    void configWithoutTrustDomainRoundTrips() throws Exception {
        CaConfig config = new CaConfig("Plain", Optional.empty(), KeyAlgorithm.RSA3072, CaSettings.defaults(List.of()));

        CaConfig parsed = CaConfig.parse(config.format());

        assertThat(parsed).isEqualTo(config);
        assertThat(parsed.settings().sanPolicy().spiffeIds()).isEmpty();
    }

    @Test
    void everySettingRoundTrips() throws Exception {
        CaSettings settings = CaSettings.defaults(List.of(TD))
                .withIssuerExpiry(IssuerExpiryPolicy.CAP)
                .withLifetimes(Profile.SVID, new Lifetimes(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofDays(2)))
                .withLifetimes(Profile.SERVER, new Lifetimes(Duration.ofDays(7), Duration.ofHours(1).plusMinutes(30),
                        Duration.ofDays(45)))
                .withSanPolicy(new SanPolicy(
                        List.of(DnsPattern.parse("*.example.com"), DnsPattern.parse("**.internal.example.com"),
                                DnsPattern.parse("api.example.net")),
                        List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("fd00::/8"), IpRange.parse("192.0.2.7")),
                        List.of(SpiffeIdPattern.parse("spiffe://example.org/ns/*/sa/*"),
                                SpiffeIdPattern.parse("spiffe://example.org/batch/**")),
                        List.of(GlobPattern.parse("https://*.example.com/**")),
                        List.of(GlobPattern.parse("*@example.com"))))
                .withRevocationUrls(new RevocationUrls(List.of(URI.create("http://crl.example.com/int.crl")),
                        List.of(URI.create("http://ocsp.example.com")),
                        List.of(URI.create("http://pki.example.com/int.crt"), URI.create("http://backup.example.com/int.crt"))));
        settings = new CaSettings(settings.lifetimes(), settings.issuerExpiry(), Duration.ofMinutes(5),
                settings.sanPolicy(), settings.keyPolicy(), settings.revocationUrls());
        CaConfig config = new CaConfig("Acme, Inc. = \"Test\" #1", Optional.of(TD), KeyAlgorithm.MLDSA65, settings);

        CaConfig parsed = CaConfig.parse(config.format());

        assertThat(parsed).isEqualTo(config);
        assertThat(parsed.format()).isEqualTo(config.format());
    }

    @Test
    void formatWritesReadableKeys() {
        assertThat(valid()).contains("name=Acme\n", "trust-domain=example.org\n", "key-type=p256\n",
                "issuer-expiry=refuse\n", "backdate=1m\n", "profile.svid.max-ttl=30d\n");
    }

    @Test
    void missingValuesFallBackToDefaults() throws Exception {
        CaConfig parsed = CaConfig.parse("name=Minimal\nkey-type=ed25519\n");

        assertThat(parsed).isEqualTo(new CaConfig("Minimal", Optional.empty(), KeyAlgorithm.ED25519,
                CaSettings.defaults(List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "fail name missing               | name             | ''",
            "fail key type missing           | key-type         | ''",
            "fail unknown key type           | key-type         | rsa1024",
            "fail invalid trust domain       | trust-domain     | Example.ORG",
            "fail unknown issuer expiry      | issuer-expiry    | sometimes",
            "fail malformed backdate         | backdate         | soon",
            "fail backdate above one hour    | backdate         | 2h",
            "fail malformed lifetime         | profile.svid.max-ttl | forever",
            "fail zero lifetime              | profile.server.default-ttl | 0s",
            "fail minimum below five minutes | profile.client.min-ttl | 1m",
            "fail maximum below minimum      | profile.mtls.max-ttl | 4m",
            "fail invalid DNS pattern        | policy.dns       | a..example.com",
            "fail invalid IP range           | policy.ip        | 10.0.0.0/33",
            "fail SPIFFE pattern without path| policy.spiffe-id | spiffe://example.org",
            "fail invalid URL                | url.crl          | http://bad host/"
    })
    void malformedValueIsRefusedNamingItsKey(String name, String key, String value) {
        String text = valid().lines().filter(l -> !l.startsWith(key + "=")).reduce("", (a, b) -> a + b + "\n")
                + key + "=" + value + "\n";

        CaException e = assertThrows(CaException.class, () -> CaConfig.parse(text));

        String named = key.startsWith("profile.") ? key.substring(0, key.lastIndexOf('.')) : key;
        assertThat(e).hasMessageStartingWith("ca.properties").hasMessageContaining(named);
    }

    @Test
    void malformedPropertiesTextIsRefused() {
        CaException e = assertThrows(CaException.class, () -> CaConfig.parse("name=\\u12"));

        assertThat(e).hasMessageContaining("ca.properties is malformed");
    }
}
