package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.profile.RevocationUrls;
import io.certwright.core.KeyAlgorithm;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.Test;

class RevocationUrlsTest {

    private static final URI CRL = URI.create("http://ca.example.com/crl/intermediate.crl");
    private static final URI OCSP = URI.create("http://ca.example.com/ocsp");
    private static final URI CA_ISSUERS = URI.create("http://ca.example.com/intermediate.crt");

    private static CaFixture caWithUrls() throws Exception {
        return CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org")
                .settings(s -> s.withRevocationUrls(new RevocationUrls(List.of(CRL), List.of(OCSP), List.of(CA_ISSUERS))))
                .build();
    }

    @Test
    void issuedCertificatesCarryTheConfiguredCrlDistributionPoint() throws Exception {
        IssuedCertificate svid = caWithUrls().svid(CaFixture.keyPair(KeyAlgorithm.P256), "spiffe://example.org/api");

        Extension ext = CaFixture.extension(svid.certificate(), Extension.cRLDistributionPoints);
        DistributionPoint[] points = CRLDistPoint.getInstance(ext.getParsedValue()).getDistributionPoints();

        assertThat(ext.isCritical()).isFalse();
        assertThat(points).hasSize(1);
        GeneralName[] names = GeneralNames.getInstance(points[0].getDistributionPoint().getName()).getNames();
        assertThat(names).extracting(n -> n.getName().toString()).containsExactly(CRL.toString());
    }

    @Test
    void issuedCertificatesCarryOcspAndCaIssuersAccess() throws Exception {
        IssuedCertificate svid = caWithUrls().svid(CaFixture.keyPair(KeyAlgorithm.P256), "spiffe://example.org/api");

        Extension ext = CaFixture.extension(svid.certificate(), Extension.authorityInfoAccess);
        AccessDescription[] access = AuthorityInformationAccess.getInstance(ext.getParsedValue()).getAccessDescriptions();

        assertThat(ext.isCritical()).isFalse();
        assertThat(Arrays.stream(access).filter(a -> a.getAccessMethod().equals(AccessDescription.id_ad_ocsp))
                .map(a -> a.getAccessLocation().getName().toString())).containsExactly(OCSP.toString());
        assertThat(Arrays.stream(access).filter(a -> a.getAccessMethod().equals(AccessDescription.id_ad_caIssuers))
                .map(a -> a.getAccessLocation().getName().toString())).containsExactly(CA_ISSUERS.toString());
    }

    @Test
    void withoutConfiguredUrlsCertificatesCarryNeither() throws Exception {
        CaFixture f = CaFixture.spiffe(java.time.Clock.systemUTC());
        IssuedCertificate svid = f.svid(CaFixture.keyPair(KeyAlgorithm.P256), "spiffe://example.org/api");

        assertThat(CaFixture.hasExtension(svid.certificate(), Extension.cRLDistributionPoints)).isFalse();
        assertThat(CaFixture.hasExtension(svid.certificate(), Extension.authorityInfoAccess)).isFalse();
        assertThat(CaFixture.hasExtension(f.root(), Extension.cRLDistributionPoints)).isFalse();
    }
}
