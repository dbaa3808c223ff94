package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IssuanceSmokeTest {

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void issuedSvidChainValidatesWithJdkPkix(KeyAlgorithm alg) throws Exception {
        Clock clock = Clock.systemUTC();
        TrustDomain td = new TrustDomain("example.org");
        CaSpec spec = CaSpec.of(alg, "Smoke").withTrustDomain(td, true);
        InMemoryLedger ledger = new InMemoryLedger();
        CaMaterial m = CaBootstrap.create(spec, clock, new SecureRandom(), ledger);
        Issuer issuer = new Issuer(m.intermediate(), List.of(),
                JcaSigningKey.of(alg, m.intermediateKey(), m.intermediate().getPublicKey()), Optional.of(td));
        CertificateAuthority ca = new CertificateAuthority(issuer, List.of(m.root()), CaSettings.defaults(List.of(td)),
                ledger, clock, new SecureRandom());
        KeyPair leafKey = CryptoProviders.generate(alg);
        IssuedCertificate issued = ca.issue(new IssuanceRequest(Profile.SVID, leafKey.getPublic(), Optional.empty(),
                SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://example.org/ns/pay/sa/api")),
                Optional.of(Duration.ofHours(1))));
        var path = CertificateFactory.getInstance("X.509").generateCertPath(issued.fullChain());
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(m.root(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
        assertThat(ledger.entries()).hasSize(3).allMatch(LedgerEntry::signed);
        byte[] der = issued.certificate().getEncoded();
        assertThat(org.bouncycastle.asn1.x509.Certificate.getInstance(der).getEncoded("DER"))
                .as("the assembled certificate is canonical DER").isEqualTo(der);
        assertThat(CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der)))
                .isEqualTo(issued.certificate());
        issued.certificate().verify(m.intermediate().getPublicKey());
        // What the issued certificate answers without being parsed is what a parse of its bytes says.
        java.security.cert.X509Certificate parsed = (java.security.cert.X509Certificate) CertificateFactory
                .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(der));
        assertThat(issued.certificate().getSerialNumber()).isEqualTo(parsed.getSerialNumber());
        assertThat(issued.certificate().getIssuerX500Principal()).isEqualTo(parsed.getIssuerX500Principal());
        assertThat(issued.certificate().getIssuerX500Principal().getEncoded())
                .isEqualTo(parsed.getIssuerX500Principal().getEncoded());
        assertThat(issued.certificate().getSubjectX500Principal().getEncoded())
                .isEqualTo(parsed.getSubjectX500Principal().getEncoded());
        assertThat(issued.certificate().getPublicKey().getEncoded()).isEqualTo(parsed.getPublicKey().getEncoded());
        assertThat(issued.certificate().getNotBefore()).isEqualTo(parsed.getNotBefore());
        java.util.Set<String> oids = new java.util.HashSet<>(parsed.getCriticalExtensionOIDs());
        oids.addAll(parsed.getNonCriticalExtensionOIDs());
        oids.add("1.2.3.4");
        for (String oid : oids) {
            assertThat(issued.certificate().getExtensionValue(oid)).as(oid).isEqualTo(parsed.getExtensionValue(oid));
        }
        assertThat(issued.certificate().getNotAfter()).isEqualTo(parsed.getNotAfter());
        assertThat(issued.names().all()).containsExactlyElementsOf(
                parsed.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList());
    }

    @org.junit.jupiter.api.Test
    void issuedNamesAreTheSubjectAlternativeNamesInTheCertificate() throws Exception {
        Clock clock = Clock.systemUTC();
        CaSpec spec = CaSpec.of(KeyAlgorithm.P256, "Names");
        InMemoryLedger ledger = new InMemoryLedger();
        CaMaterial m = CaBootstrap.create(spec, clock, new SecureRandom(), ledger);
        Issuer issuer = new Issuer(m.intermediate(), List.of(), JcaSigningKey.of(KeyAlgorithm.P256,
                m.intermediateKey(), m.intermediate().getPublicKey()), Optional.empty());
        CertificateAuthority ca = new CertificateAuthority(issuer, List.of(m.root()), CaSettings.defaults(List.of()),
                ledger, clock, new SecureRandom());
        SubjectNames names = new SubjectNames(List.of("api.example.com", "www.example.com"),
                List.of(java.net.InetAddress.getByName("10.1.2.3"), java.net.InetAddress.getByName("2001:db8::17")),
                List.of(), List.of());
        IssuedCertificate issued = ca.issue(new IssuanceRequest(Profile.SERVER,
                CryptoProviders.generate(KeyAlgorithm.P256).getPublic(), Optional.empty(), names,
                Optional.of(Duration.ofHours(1))));

        java.security.cert.X509Certificate parsed = (java.security.cert.X509Certificate) CertificateFactory
                .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(
                        issued.certificate().getEncoded()));
        assertThat(issued.names().all()).containsExactlyElementsOf(
                parsed.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList());
        assertThat(issued.certificate().getNotAfter()).isEqualTo(parsed.getNotAfter());
    }
}
