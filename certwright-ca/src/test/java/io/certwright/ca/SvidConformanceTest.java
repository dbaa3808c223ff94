package io.certwright.ca;

import static io.certwright.ca.CaFixture.extension;
import static io.certwright.ca.CaFixture.hasExtension;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/// The X.509 rules of the SPIFFE X509-SVID standard (§2 SPIFFE ID, §3 leaf and signing certificates,
/// §4 constraints and usage), checked on certificates the CA actually issues.
class SvidConformanceTest {

    private static final String ID = "spiffe://example.org/ns/pay/sa/api";
    private static final Clock CLOCK = Clock.systemUTC();

    private static CaFixture constrained;
    private static CaFixture unconstrained;
    private static final Map<KeyAlgorithm, X509Certificate> LEAVES = new EnumMap<>(KeyAlgorithm.class);

    @BeforeAll
    static void issue() throws Exception {
        constrained = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org", true).clock(CLOCK).build();
        unconstrained = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org", false).clock(CLOCK).build();
        for (KeyAlgorithm alg : List.of(KeyAlgorithm.P256, KeyAlgorithm.P384, KeyAlgorithm.ED25519,
                KeyAlgorithm.RSA2048, KeyAlgorithm.MLDSA65)) {
            KeyPair key = CaFixture.keyPair(alg);
            LEAVES.put(alg, constrained.svid(key, ID).certificate());
        }
    }

    private static X509Certificate leaf() {
        return leaf(KeyAlgorithm.P256);
    }

    private static X509Certificate leaf(KeyAlgorithm alg) {
        X509Certificate c = LEAVES.get(alg);
        if (c == null) {
            throw new AssertionError("no leaf issued for " + alg);
        }
        return c;
    }

    private static X509Certificate signing() {
        return constrained.intermediate();
    }

    private static List<String> uriSans(X509Certificate cert) throws Exception {
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        List<String> uris = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (Integer.valueOf(GeneralName.uniformResourceIdentifier).equals(san.get(0))) {
                    uris.add((String) san.get(1));
                }
            }
        }
        return uris;
    }

    private static KeyUsage keyUsage(X509Certificate cert) throws Exception {
        return KeyUsage.getInstance(extension(cert, Extension.keyUsage).getParsedValue());
    }

    private static BasicConstraints basicConstraints(X509Certificate cert) throws Exception {
        return BasicConstraints.getInstance(extension(cert, Extension.basicConstraints).getParsedValue());
    }

    // §2: exactly one URI SAN, the SPIFFE ID

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"P256", "P384", "ED25519", "RSA2048", "MLDSA65"})
    void svidLeafHasExactlyOneUriSanWhichIsItsSpiffeId(KeyAlgorithm alg) throws Exception {
        assertThat(uriSans(leaf(alg))).containsExactly(ID);
        assertThat(leaf(alg).getSubjectAlternativeNames()).hasSize(1);
    }

    @Test
    void signingCertificateCarriesAtMostOneUriSanAndItIsASpiffeId() throws Exception {
        List<String> uris = uriSans(signing());

        assertThat(uris).hasSizeLessThanOrEqualTo(1).allMatch(SpiffeId::isValid);
    }

    // §3.1 leaf: non-root path

    @Test
    void svidLeafSpiffeIdHasANonRootPath() throws Exception {
        SpiffeId id = SpiffeId.parse(uriSans(leaf()).getFirst());

        assertThat(id.hasPath()).isTrue();
        assertThat(id.trustDomain().name()).isEqualTo("example.org");
    }

    // §3.2 signing certificate: SPIFFE ID, if any, has no path

    @Test
    void signingCertificateSpiffeIdHasNoPath() throws Exception {
        assertThat(uriSans(signing())).containsExactly("spiffe://example.org");
        assertThat(uriSans(constrained.root())).allSatisfy(u -> assertThat(SpiffeId.parse(u).hasPath()).isFalse());
    }

    // RFC 5280 §4.2.1.6 as the SVID standard requires it: an empty subject needs a critical SAN

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"P256", "ED25519", "RSA2048", "MLDSA65"})
    void svidLeafSanIsCriticalWhenSubjectIsEmpty(KeyAlgorithm alg) throws Exception {
        X509Certificate c = leaf(alg);

        assertThat(c.getSubjectX500Principal().getName()).isEmpty();
        assertThat(extension(c, Extension.subjectAlternativeName).isCritical()).isTrue();
        assertThat(c.getCriticalExtensionOIDs()).contains(Extension.subjectAlternativeName.getId());
    }

    // §4.1 basic constraints

    @Test
    void svidLeafSetsCaFalseInBasicConstraints() throws Exception {
        assertThat(hasExtension(leaf(), Extension.basicConstraints)).isTrue();
        assertThat(basicConstraints(leaf()).isCA()).isFalse();
        assertThat(leaf().getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void signingCertificateSetsCaTrueInCriticalBasicConstraints() throws Exception {
        assertThat(basicConstraints(signing()).isCA()).isTrue();
        assertThat(extension(signing(), Extension.basicConstraints).isCritical()).isTrue();
        assertThat(signing().getBasicConstraints()).isEqualTo(0);
    }

    // §4.2 name constraints

    @Test
    void constrainedSigningCertificateCarriesCriticalUriNameConstraintOfItsTrustDomain() throws Exception {
        Extension ext = extension(signing(), Extension.nameConstraints);
        NameConstraints nc = NameConstraints.getInstance(ext.getParsedValue());

        assertThat(ext.isCritical()).isTrue();
        assertThat(nc.getExcludedSubtrees()).isNull();
        assertThat(nc.getPermittedSubtrees()).extracting(GeneralSubtree::getBase)
                .containsExactly(new GeneralName(GeneralName.uniformResourceIdentifier, "example.org"));
    }

    @Test
    void unconstrainedSigningCertificateCarriesNoNameConstraints() {
        assertThat(hasExtension(unconstrained.intermediate(), Extension.nameConstraints)).isFalse();
    }

    @Test
    void svidLeafCarriesNoNameConstraints() {
        assertThat(hasExtension(leaf(), Extension.nameConstraints)).isFalse();
    }

    @Test
    void svidUnderUriNameConstraintValidatesWithJdkPkix() throws Exception {
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);
        IssuedCertificate svid = constrained.svid(key, "spiffe://example.org/other");

        assertThat(constrained.validate(svid.fullChain(), CLOCK).getTrustAnchor().getTrustedCert())
                .isEqualTo(constrained.root());
    }

    // §4.3 key usage

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"P256", "ED25519", "RSA2048", "MLDSA65"})
    void svidLeafKeyUsageIsCritical(KeyAlgorithm alg) throws Exception {
        assertThat(extension(leaf(alg), Extension.keyUsage).isCritical()).isTrue();
    }

    @Test
    void signingCertificateKeyUsageIsCritical() throws Exception {
        assertThat(extension(signing(), Extension.keyUsage).isCritical()).isTrue();
        assertThat(extension(constrained.root(), Extension.keyUsage).isCritical()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"P256", "P384", "ED25519", "RSA2048", "MLDSA65"})
    void svidLeafSetsDigitalSignatureAndNeitherKeyCertSignNorCrlSign(KeyAlgorithm alg) throws Exception {
        KeyUsage ku = keyUsage(leaf(alg));

        assertThat(ku.hasUsages(KeyUsage.digitalSignature)).isTrue();
        assertThat(ku.hasUsages(KeyUsage.keyCertSign)).isFalse();
        assertThat(ku.hasUsages(KeyUsage.cRLSign)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"P256", "P384", "ED25519", "RSA2048", "MLDSA65"})
    void svidLeafSetsKeyEnciphermentOnlyForRsaKeys(KeyAlgorithm alg) throws Exception {
        KeyUsage ku = keyUsage(leaf(alg));

        assertThat(ku.hasUsages(KeyUsage.keyEncipherment)).isEqualTo(alg.family() == KeyAlgorithm.Family.RSA);
        assertThat(ku.hasUsages(KeyUsage.dataEncipherment)).isFalse();
    }

    @Test
    void signingCertificateSetsKeyCertSignAndNotDigitalSignature() throws Exception {
        for (X509Certificate ca : List.of(signing(), constrained.root())) {
            KeyUsage ku = keyUsage(ca);
            assertThat(ku.hasUsages(KeyUsage.keyCertSign)).isTrue();
            assertThat(ku.hasUsages(KeyUsage.digitalSignature)).isFalse();
            assertThat(ca.getKeyUsage()[5]).isTrue();
            assertThat(ca.getKeyUsage()[0]).isFalse();
        }
    }

    // §4.4 extended key usage

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"P256", "ED25519", "RSA2048", "MLDSA65"})
    void svidLeafExtendedKeyUsageIncludesServerAuthAndClientAuth(KeyAlgorithm alg) throws Exception {
        ExtendedKeyUsage eku = ExtendedKeyUsage.getInstance(extension(leaf(alg), Extension.extendedKeyUsage)
                .getParsedValue());

        assertThat(eku.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth)).isTrue();
        assertThat(eku.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth)).isTrue();
        assertThat(leaf(alg).getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    }

    @Test
    void svidLeafUriIsTheRequestedIdVerbatim() throws Exception {
        assertThat(URI.create(uriSans(leaf()).getFirst())).isEqualTo(URI.create(ID));
    }
}
