package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.core.KeyAlgorithm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MustStapleTest {

    private static final ASN1ObjectIdentifier TLS_FEATURE = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");
    private static final RevocationUrls URLS = new RevocationUrls(List.of(URI.create("http://ca.example.com/crl/x.crl")),
            List.of(URI.create("http://ca.example.com/ocsp")), List.of());

    @TempDir
    Path dir;

    private static CaFixture ca(RevocationUrls urls, Set<Profile> staple) throws Exception {
        return CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org")
                .settings(s -> s.withRevocationUrls(urls).withMustStaple(staple)).build();
    }

    @Test
    void mustStapleProfileCarriesTheTlsFeatureStatusRequest() throws Exception {
        CaFixture f = ca(URLS, Set.of(Profile.SERVER));

        IssuedCertificate cert = f.issue(Profile.SERVER, CaFixture.keyPair(KeyAlgorithm.P256),
                CaFixture.dns("api.example.com"), Optional.empty());

        Extension ext = CaFixture.extension(cert.certificate(), TLS_FEATURE);
        assertThat(ext.isCritical()).isFalse();
        assertThat(ext.getExtnValue().getOctets()).isEqualTo(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
        Files.writeString(dir.resolve("cert.pem"), Pem.certificate(cert.certificate()), StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder("openssl", "x509", "-in", dir.resolve("cert.pem").toString(), "-noout", "-text")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("TLS Feature:", "status_request");
    }

    @Test
    void profilesWithoutMustStapleCarryNoTlsFeature() throws Exception {
        CaFixture f = ca(URLS, Set.of(Profile.SERVER));

        IssuedCertificate svid = f.svid(CaFixture.keyPair(KeyAlgorithm.P256), "spiffe://example.org/api");

        assertThat(CaFixture.hasExtension(svid.certificate(), TLS_FEATURE)).isFalse();
    }

    @Test
    void mustStapleWithoutAnOcspUrlIsRefusedByLint() throws Exception {
        CaFixture f = ca(RevocationUrls.none(), Set.of(Profile.SERVER));

        PolicyException e = assertThrows(PolicyException.class, () -> f.issue(Profile.SERVER,
                CaFixture.keyPair(KeyAlgorithm.P256), CaFixture.dns("api.example.com"), Optional.empty()));

        assertThat(e.rule()).isEqualTo(PolicyRule.LINT);
        assertThat(e).hasMessageContaining("rfc7633.must-staple.ocsp");
    }

    @Test
    void mustStapleIsRefusedForProfilesTlsServersDoNotPresent() {
        CaSettings defaults = CaSettings.defaults(List.of());

        assertThrows(IllegalArgumentException.class, () -> defaults.withMustStaple(Set.of(Profile.CLIENT)));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMustStaple(Set.of(Profile.OCSP_SIGNER)));
    }

    @Test
    void caPropertiesRoundTripsMustStaple() throws Exception {
        CaConfig config = new CaConfig("Acme", Optional.empty(), KeyAlgorithm.P256,
                CaSettings.defaults(List.of()).withMustStaple(Set.of(Profile.MTLS, Profile.SERVER)));

        String text = config.format();
        CaConfig parsed = CaConfig.parse(text);

        assertThat(text).contains("profile.server.must-staple=true\n", "profile.svid.must-staple=false\n")
                .doesNotContain("profile.client.must-staple");
        assertThat(parsed.settings().mustStaple()).containsExactlyInAnyOrder(Profile.MTLS, Profile.SERVER);
    }

    @Test
    void caPropertiesRefusesMustStapleForClientCertificates() {
        CaException e = assertThrows(CaException.class,
                () -> CaConfig.parse("name=Acme\nkey-type=p256\nprofile.client.must-staple=true\n"));

        assertThat(e).hasMessageContaining("profile.client.must-staple");
    }

    @Test
    void caPropertiesRefusesAMalformedMustStapleValue() {
        CaException e = assertThrows(CaException.class,
                () -> CaConfig.parse("name=Acme\nkey-type=p256\nprofile.server.must-staple=perhaps\n"));

        assertThat(e).hasMessageContaining("profile.server.must-staple");
    }
}
