package io.certwright.ca;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.Refusal;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/// [CertificateAuthority#sign]: proof of possession, CSR structure, key policy, name policy, profile and
/// lifetime rules, each refusal named by its [PolicyRule], every refusal of a request reported together.
class CsrValidationTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Provider BC = new BouncyCastleProvider();
    private static final String ID = "spiffe://example.org/ns/pay/sa/api";

    private static CaFixture fixture;
    private static CaFixture restricted;
    private static KeyPair p256;

    @BeforeAll
    static void createCas() throws Exception {
        fixture = CaFixture.spiffe(CLOCK);
        restricted = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org").clock(CLOCK)
                .settings(s -> s.withSanPolicy(new SanPolicy(List.of(DnsPattern.parse("*.example.com")),
                        s.sanPolicy().ips(), s.sanPolicy().spiffeIds(), s.sanPolicy().uris(), s.sanPolicy().emails())))
                .build();
        p256 = CaFixture.keyPair(KeyAlgorithm.P256);
    }

    /// A CSR built with Bouncy Castle directly, so it can carry what Certwright's own builder never writes.
    private static byte[] craft(KeyPair key, String signatureAlgorithm, Optional<Provider> provider, String subject,
            Extension... extensions) throws Exception {
        PKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                key.getPublic());
        if (extensions.length > 0) {
            ExtensionsGenerator g = new ExtensionsGenerator();
            for (Extension e : extensions) {
                g.addExtension(e);
            }
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, g.generate());
        }
        JcaContentSignerBuilder signer = new JcaContentSignerBuilder(signatureAlgorithm);
        provider.ifPresent(signer::setProvider);
        return b.build(signer.build(key.getPrivate())).getEncoded();
    }

    private static Extension san(GeneralName... names) throws Exception {
        return new Extension(Extension.subjectAlternativeName, false, new DEROctetString(new GeneralNames(names)));
    }

    private static Extension caTrue() throws Exception {
        return new Extension(Extension.basicConstraints, true, new DEROctetString(new BasicConstraints(true)));
    }

    private static Extension unknownCritical() throws Exception {
        return new Extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true,
                new DEROctetString(new DERUTF8String("x")));
    }

    private static Extension spiffeSan(String... ids) throws Exception {
        return san(Arrays.stream(ids).map(i -> new GeneralName(GeneralName.uniformResourceIdentifier, i))
                .toArray(GeneralName[]::new));
    }

    private static PolicyException refused(CaFixture f, byte[] csr, Profile profile, Optional<Duration> ttl) {
        int recorded = f.ledger.entries().size();
        int signatures = f.signer.calls();
        PolicyException e = assertThrows(PolicyException.class, () -> f.ca.sign(csr, profile, ttl));
        assertThat(f.ledger.entries()).as("nothing recorded").hasSize(recorded);
        assertThat(f.signer.calls()).as("nothing signed").isEqualTo(signatures);
        return e;
    }

    private static List<PolicyRule> rules(PolicyException e) {
        return e.refusals().stream().map(Refusal::rule).toList();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"P256", "P384", "ED25519", "RSA2048", "MLDSA65"})
    void signAcceptsAValidCsrOfEveryStandardKeyType(KeyAlgorithm alg) throws Exception {
        KeyPair key = CaFixture.keyPair(alg);
        byte[] csr = CaFixture.csr(alg, key, SubjectNames.ofSpiffeId(SpiffeId.parse(ID)));

        IssuedCertificate issued = fixture.ca.sign(csr, Profile.SVID, Optional.empty());

        assertThat(issued.certificate().getPublicKey().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(issued.certificate().getSubjectAlternativeNames()).containsExactly(List.of(6, ID));
        fixture.validate(issued.fullChain(), CLOCK);
    }

    @Test
    void signAcceptsACsrCraftedByAnotherTool() throws Exception {
        byte[] csr = craft(p256, "SHA256withECDSA", Optional.empty(), "CN=api.example.com",
                san(new GeneralName(GeneralName.dNSName, "api.example.com")));

        IssuedCertificate issued = fixture.ca.sign(csr, Profile.SERVER, Optional.of(Duration.ofHours(1)));

        assertThat(issued.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=api.example.com");
    }

    @Test
    void signAddsAHostnameCommonNameToTheDnsSans() throws Exception {
        byte[] csr = craft(p256, "SHA256withECDSA", Optional.empty(), "CN=www.example.com");

        IssuedCertificate issued = fixture.ca.sign(csr, Profile.SERVER, Optional.empty());

        assertThat(issued.certificate().getSubjectAlternativeNames()).containsExactly(List.of(2, "www.example.com"));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("fail signature does not verify", (CsrCase) () -> {
                    byte[] csr = CaFixture.csr(KeyAlgorithm.P256, p256, CaFixture.uris(ID));
                    csr[csr.length - 1] ^= 0x01;
                    return csr;
                }, PolicyRule.CSR_SIGNATURE),
                Arguments.of("fail signed by another key", (CsrCase) () -> {
                    KeyPair other = CaFixture.keyPair(KeyAlgorithm.P256);
                    byte[] good = CaFixture.csr(KeyAlgorithm.P256, p256, CaFixture.uris(ID));
                    byte[] foreign = CaFixture.csr(KeyAlgorithm.P256, other, CaFixture.uris(ID));
                    // same length P-256 SPKI: swap the public key while keeping p256's signature
                    return swapSpki(good, foreign);
                }, PolicyRule.CSR_SIGNATURE),
                Arguments.of("fail garbage", (CsrCase) () -> "not a certificate request".getBytes(US_ASCII), PolicyRule.CSR_MALFORMED),
                Arguments.of("fail empty", (CsrCase) () -> new byte[0], PolicyRule.CSR_MALFORMED),
                Arguments.of("fail truncated DER", (CsrCase) () -> {
                    byte[] csr = CaFixture.csr(KeyAlgorithm.P256, p256, CaFixture.uris(ID));
                    return Arrays.copyOf(csr, csr.length / 2);
                }, PolicyRule.CSR_MALFORMED),
                Arguments.of("fail DER of another structure", (CsrCase) () -> fixture.root().getEncoded(),
                        PolicyRule.CSR_MALFORMED),
                Arguments.of("fail cA true requested", (CsrCase) () -> craft(p256, "SHA256withECDSA", Optional.empty(), "",
                        spiffeSan(ID), caTrue()), PolicyRule.CSR_CA_REQUESTED),
                Arguments.of("fail unknown critical extension", (CsrCase) () -> craft(p256, "SHA256withECDSA",
                        Optional.empty(), "", spiffeSan(ID), unknownCritical()),
                        PolicyRule.CSR_UNKNOWN_CRITICAL_EXTENSION),
                Arguments.of("fail RSA 1024", (CsrCase) () -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(1024);
                    return craft(g.generateKeyPair(), "SHA256withRSA", Optional.empty(), "", spiffeSan(ID));
                }, PolicyRule.KEY_TYPE),
                Arguments.of("fail EC secp256k1", (CsrCase) () -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
                    g.initialize(new ECGenParameterSpec("secp256k1"));
                    return craft(g.generateKeyPair(), "SHA256withECDSA", Optional.of(BC), "", spiffeSan(ID));
                }, PolicyRule.KEY_TYPE),
                Arguments.of("fail SPIFFE ID of another trust domain", (CsrCase) () -> CaFixture.csr(KeyAlgorithm.P256,
                        p256, CaFixture.uris("spiffe://other.org/api")), PolicyRule.SAN_SPIFFE_ID),
                Arguments.of("fail invalid SPIFFE ID", (CsrCase) () -> craft(p256, "SHA256withECDSA", Optional.empty(), "",
                        spiffeSan("spiffe://example.org/a/../b")), PolicyRule.SAN_SPIFFE_ID),
                Arguments.of("fail trust domain ID as workload", (CsrCase) () -> CaFixture.csr(KeyAlgorithm.P256, p256,
                        CaFixture.uris("spiffe://example.org")), PolicyRule.SAN_SPIFFE_ID),
                Arguments.of("fail two URIs in an SVID", (CsrCase) () -> CaFixture.csr(KeyAlgorithm.P256, p256,
                        CaFixture.uris(ID, "spiffe://example.org/second")), PolicyRule.PROFILE_NAMES),
                Arguments.of("fail SVID without SPIFFE ID", (CsrCase) () -> CaFixture.csr(KeyAlgorithm.P256, p256,
                        CaFixture.dns("api.example.com")), PolicyRule.PROFILE_NAMES));
    }

    /// Produces the DER of one CSR.
    @FunctionalInterface
    interface CsrCase {
        byte[] der() throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void signRefusesABadSvidCsrNamingTheRule(String name, CsrCase csr, PolicyRule rule) throws Exception {
        PolicyException e = refused(fixture, csr.der(), Profile.SVID, Optional.empty());

        assertThat(rules(e)).contains(rule);
        assertThat(e.getMessage()).contains(rule.wireName());
    }

    private static byte[] swapSpki(byte[] good, byte[] foreign) throws Exception {
        var a = org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(good);
        var b = org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(foreign);
        var info = a.getCertificationRequestInfo();
        var swapped = new org.bouncycastle.asn1.pkcs.CertificationRequestInfo(info.getSubject(),
                b.getCertificationRequestInfo().getSubjectPublicKeyInfo(), info.getAttributes());
        return new org.bouncycastle.asn1.pkcs.CertificationRequest(swapped, a.getSignatureAlgorithm(), a.getSignature())
                .getEncoded();
    }

    @Test
    void signRefusesADnsNameOutsideARestrictedPolicy() throws Exception {
        byte[] csr = CaFixture.csr(KeyAlgorithm.P256, p256, CaFixture.dns("api.other.com"));

        PolicyException e = refused(restricted, csr, Profile.SERVER, Optional.empty());

        assertThat(rules(e)).containsExactly(PolicyRule.SAN_DNS);
        assertThat(e.refusals().getFirst().detail()).contains("api.other.com");
        assertThat(restricted.ca.sign(CaFixture.csr(KeyAlgorithm.P256, p256, CaFixture.dns("api.example.com")),
                Profile.SERVER, Optional.empty()).certificate()).isNotNull();
    }

    @Test
    void signRefusesALifetimeAboveTheProfileMaximum() throws Exception {
        byte[] csr = CaFixture.csr(KeyAlgorithm.P256, p256, CaFixture.uris(ID));

        PolicyException e = refused(fixture, csr, Profile.SVID, Optional.of(Duration.ofDays(30).plusSeconds(1)));

        assertThat(rules(e)).containsExactly(PolicyRule.TTL_ABOVE_MAXIMUM);
        assertThat(fixture.ca.sign(csr, Profile.SVID, Optional.of(Duration.ofDays(30))).certificate()).isNotNull();
    }

    @Test
    void signRefusesALifetimeBelowFiveMinutes() throws Exception {
        byte[] csr = CaFixture.csr(KeyAlgorithm.P256, p256, CaFixture.uris(ID));

        PolicyException e = refused(fixture, csr, Profile.SVID, Optional.of(Duration.ofMinutes(5).minusSeconds(1)));

        assertThat(rules(e)).containsExactly(PolicyRule.TTL_BELOW_MINIMUM);
        assertThat(fixture.ca.sign(csr, Profile.SVID, Optional.of(Duration.ofMinutes(5))).certificate()).isNotNull();
    }

    @Test
    void signReportsEveryPolicyRefusalOfARequestTogether() throws Exception {
        byte[] csr = CaFixture.csr(KeyAlgorithm.P256, p256, CaFixture.dns("api.other.com"));

        PolicyException e = refused(restricted, csr, Profile.SERVER, Optional.of(Duration.ofDays(365)));

        assertThat(rules(e)).containsExactlyInAnyOrder(PolicyRule.SAN_DNS, PolicyRule.TTL_ABOVE_MAXIMUM);
        assertThat(e.getMessage()).contains("san.dns").contains("ttl.maximum");
    }

    @Test
    void signReportsEveryRefusalOfTheCsrItselfTogether() throws Exception {
        byte[] csr = craft(p256, "SHA256withECDSA", Optional.empty(), "", spiffeSan(ID), caTrue(), unknownCritical());

        PolicyException e = refused(fixture, csr, Profile.SVID, Optional.empty());

        assertThat(rules(e)).containsExactlyInAnyOrder(PolicyRule.CSR_CA_REQUESTED,
                PolicyRule.CSR_UNKNOWN_CRITICAL_EXTENSION);
    }

    @Test
    void signReportsKeyNameAndLifetimeRefusalsTogether() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        byte[] csr = craft(g.generateKeyPair(), "SHA256withRSA", Optional.empty(), "",
                spiffeSan("spiffe://other.org/api"));

        PolicyException e = refused(fixture, csr, Profile.SVID, Optional.of(Duration.ofMinutes(1)));

        assertThat(rules(e)).containsExactlyInAnyOrder(PolicyRule.KEY_TYPE, PolicyRule.SAN_SPIFFE_ID,
                PolicyRule.TTL_BELOW_MINIMUM);
    }
}
