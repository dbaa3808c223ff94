package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.keys.Passphrase;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicUrlsTest {

    private static final PublicUrls URLS = PublicUrls.parse("https://ca.example.com/");

    @TempDir
    Path dir;

    private static List<String> crlUrls(X509Certificate cert) throws Exception {
        var points = CRLDistPoint.getInstance(CaFixture.extension(cert, Extension.cRLDistributionPoints).getParsedValue())
                .getDistributionPoints();
        return java.util.Arrays.stream(points)
                .flatMap(p -> java.util.Arrays.stream(GeneralNames.getInstance(p.getDistributionPoint().getName()).getNames()))
                .map(n -> n.getName().toString()).toList();
    }

    @Test
    void intermediateCarriesTheRootsCrlDistributionPoint() throws Exception {
        CaMaterial m = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Urls").withPublicUrls(URLS), Clock.systemUTC(),
                new SecureRandom(), null);

        String rootId = HexFormat.of().formatHex(io.certwright.ca.internal.x509.X509Certificates.subjectKeyIdentifier(m.root()));
        assertThat(crlUrls(m.intermediate())).containsExactly("https://ca.example.com/crl/" + rootId + ".crl");
        var access = AuthorityInformationAccess.getInstance(
                CaFixture.extension(m.intermediate(), Extension.authorityInfoAccess).getParsedValue()).getAccessDescriptions();
        assertThat(access).extracting(a -> a.getAccessMethod()).containsExactly(AccessDescription.id_ad_caIssuers);
        assertThat(access[0].getAccessLocation().getName().toString()).isEqualTo("https://ca.example.com/ca/" + rootId + ".crt");
        assertThat(CaFixture.hasExtension(m.root(), Extension.cRLDistributionPoints)).isFalse();
    }

    @Test
    void withoutPublicUrlsTheIntermediateCarriesNone() throws Exception {
        CaMaterial m = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Urls"), Clock.systemUTC(), new SecureRandom(), null);

        assertThat(CaFixture.hasExtension(m.intermediate(), Extension.cRLDistributionPoints)).isFalse();
    }

    @Test
    void aCaDirectoryCreatedWithPublicUrlsIssuesLeavesPointingAtTheIntermediatesCrlAndTheResponder() throws Exception {
        Path ca = dir.resolve("ca");
        CaDirectory d = CaDirectory.init(ca, CaSpec.of(KeyAlgorithm.P256, "Urls").withPublicUrls(URLS),
                Passphrase.of("correct horse battery".toCharArray()), Clock.systemUTC(), new InMemoryLedger());
        CertificateAuthority authority = CaDirectory.open(ca).unlock(Passphrase.of("correct horse battery".toCharArray()),
                Clock.systemUTC(), new InMemoryLedger());

        X509Certificate leaf = authority.issue(new IssuanceRequest(Profile.SERVER, CaFixture.keyPair(KeyAlgorithm.P256)
                .getPublic(), Optional.empty(), CaFixture.dns("api.example.com"), Optional.empty())).certificate();

        assertThat(crlUrls(leaf)).containsExactly("https://ca.example.com/crl/" + PublicUrls.caId(d.intermediate()) + ".crl");
        assertThat(authority.settings().revocationUrls().ocspResponders())
                .containsExactly(URI.create("https://ca.example.com/ocsp"));
        assertThat(d.unlockRoot(Passphrase.of("correct horse battery".toCharArray()))).isPresent();
    }

    @Test
    void caIdIsTheSubjectKeyIdentifierInLowercaseHex() throws Exception {
        CaFixture f = CaFixture.with(KeyAlgorithm.P256).build();

        assertThat(PublicUrls.caId(f.intermediate())).matches("[0-9a-f]{40}")
                .isNotEqualTo(PublicUrls.caId(f.root()));
        assertThat(URLS.crl(f.root()).toString()).isEqualTo("https://ca.example.com/crl/" + PublicUrls.caId(f.root()) + ".crl");
        assertThat(URLS.ocsp()).isEqualTo(URI.create("https://ca.example.com/ocsp"));
    }

    @Test
    void baseUrlMustBeAbsoluteHttpWithoutQuery() {
        assertThrows(IllegalArgumentException.class, () -> PublicUrls.parse("ca.example.com"));
        assertThrows(IllegalArgumentException.class, () -> PublicUrls.parse("ftp://ca.example.com"));
        assertThrows(IllegalArgumentException.class, () -> PublicUrls.parse("https://ca.example.com/?x=1"));
        assertThat(PublicUrls.parse("http://ca.example.com/pki//").base()).isEqualTo(URI.create("http://ca.example.com/pki"));
    }

    @Test
    void ocspSignerProfileNeedsACommonNameAndNoNames() throws Exception {
        CaFixture f = CaFixture.with(KeyAlgorithm.P256).build();
        var key = CaFixture.keyPair(KeyAlgorithm.P256).getPublic();

        PolicyException noCn = assertThrows(PolicyException.class, () -> f.ca.issue(new IssuanceRequest(
                Profile.OCSP_SIGNER, key, Optional.empty(), SubjectNames.none(), Optional.empty())));
        PolicyException names = assertThrows(PolicyException.class, () -> f.ca.issue(new IssuanceRequest(
                Profile.OCSP_SIGNER, key, Optional.of("Responder"), CaFixture.dns("ocsp.example.com"), Optional.empty())));

        assertThat(noCn.rule()).isEqualTo(PolicyRule.SUBJECT_COMMON_NAME);
        assertThat(names.rule()).isEqualTo(PolicyRule.PROFILE_NAMES);
    }
}
