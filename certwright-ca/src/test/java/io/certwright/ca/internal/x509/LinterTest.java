package io.certwright.ca.internal.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.profile.CertificateTemplate;
import io.certwright.ca.profile.IssuerInfo;
import io.certwright.ca.profile.LintFinding;
import io.certwright.ca.profile.LintRule;
import io.certwright.ca.profile.NameConstraints;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import io.certwright.core.Validity;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/// Every [LintRule] fires on a to-be-signed certificate that breaks it, and none fires on what
/// [TbsBuilder] builds for each profile.
class LinterTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final TrustDomain TD = new TrustDomain("example.org");
    private static final X500Principal ROOT_NAME = new X500Principal("CN=Lint Root CA, O=Lint");
    private static final X500Principal INTERMEDIATE_NAME = new X500Principal("CN=Lint Intermediate CA, O=Lint");
    private static final Validity ROOT_VALIDITY = new Validity(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(3650)));
    private static final Validity INTERMEDIATE_VALIDITY = new Validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
    private static final Validity LEAF_VALIDITY = new Validity(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofHours(24)));

    private static final org.bouncycastle.asn1.ASN1ObjectIdentifier OCSP_NOCHECK =
            org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers.id_pkix_ocsp_nocheck;

    private static KeyPair rootKey;
    private static KeyPair intermediateKey;
    private static KeyPair leafKey;
    private static KeyPair rsaLeafKey;

    @BeforeAll
    static void keys() throws Exception {
        rootKey = CryptoProviders.generate(KeyAlgorithm.P256);
        intermediateKey = CryptoProviders.generate(KeyAlgorithm.P256);
        leafKey = CryptoProviders.generate(KeyAlgorithm.P256);
        rsaLeafKey = CryptoProviders.generate(KeyAlgorithm.RSA2048);
    }

    /// What the intermediate signs with.
    private static IssuerInfo intermediateInfo() {
        return new IssuerInfo(INTERMEDIATE_NAME, TbsBuilder.keyIdentifier(intermediateKey.getPublic()),
                INTERMEDIATE_VALIDITY, Optional.of(TD), "SHA256withECDSA");
    }

    /// What the root signs with; also the issuer of the root itself.
    private static IssuerInfo rootInfo() {
        return new IssuerInfo(ROOT_NAME, TbsBuilder.keyIdentifier(rootKey.getPublic()), ROOT_VALIDITY, Optional.of(TD),
                "SHA256withECDSA");
    }

    /// A correct certificate of each kind, as the CA builds it, with the issuer info lint checks it against.
    enum Base {
        SVID, SVID_RSA, SERVER, MUST_STAPLE, OCSP_SIGNER, INTERMEDIATE, ROOT;

        IssuerInfo issuer() {
            return switch (this) {
                case SVID, SVID_RSA, SERVER, MUST_STAPLE, OCSP_SIGNER -> intermediateInfo();
                case INTERMEDIATE, ROOT -> rootInfo();
            };
        }

        Profile profile() {
            return switch (this) {
                case SVID, SVID_RSA -> Profile.SVID;
                case SERVER, MUST_STAPLE -> Profile.SERVER;
                case OCSP_SIGNER -> Profile.OCSP_SIGNER;
                case INTERMEDIATE -> Profile.INTERMEDIATE;
                case ROOT -> Profile.ROOT;
            };
        }

        TBSCertificate tbs() {
            SerialNumber serial = SerialNumber.random(RANDOM);
            SubjectNames svid = SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://example.org/ns/pay/sa/api"));
            return TbsBuilder.build(switch (this) {
                case SVID -> new CertificateTemplate(serial, issuer(), new X500Principal(""), leafKey.getPublic(),
                        KeyAlgorithm.Family.EC, LEAF_VALIDITY, Profile.SVID, svid, Optional.empty(),
                        NameConstraints.none(), RevocationUrls.none());
                case SVID_RSA -> new CertificateTemplate(serial, issuer(), new X500Principal(""),
                        rsaLeafKey.getPublic(), KeyAlgorithm.Family.RSA, LEAF_VALIDITY, Profile.SVID, svid,
                        Optional.empty(), NameConstraints.none(), RevocationUrls.none());
                case SERVER -> new CertificateTemplate(serial, issuer(), new X500Principal("CN=api.example.com"),
                        leafKey.getPublic(), KeyAlgorithm.Family.EC, LEAF_VALIDITY, Profile.SERVER,
                        new SubjectNames(List.of("api.example.com"), List.of(), List.of(), List.of()),
                        Optional.empty(), NameConstraints.none(),
                        new RevocationUrls(List.of(URI.create("http://crl.example.com/ca.crl")), List.of(), List.of()));
                case MUST_STAPLE -> new CertificateTemplate(serial, issuer(), new X500Principal("CN=api.example.com"),
                        leafKey.getPublic(), KeyAlgorithm.Family.EC, LEAF_VALIDITY, Profile.SERVER,
                        new SubjectNames(List.of("api.example.com"), List.of(), List.of(), List.of()),
                        Optional.empty(), NameConstraints.none(),
                        new RevocationUrls(List.of(), List.of(URI.create("http://ocsp.example.com/ocsp")), List.of()),
                        true);
                case OCSP_SIGNER -> new CertificateTemplate(serial, issuer(), new X500Principal("CN=OCSP Responder"),
                        leafKey.getPublic(), KeyAlgorithm.Family.EC, LEAF_VALIDITY, Profile.OCSP_SIGNER,
                        SubjectNames.none(), Optional.empty(), NameConstraints.none(),
                        new RevocationUrls(List.of(URI.create("http://crl.example.com/ca.crl")), List.of(), List.of()));
                case INTERMEDIATE -> new CertificateTemplate(serial, issuer(), INTERMEDIATE_NAME,
                        intermediateKey.getPublic(), KeyAlgorithm.Family.EC, INTERMEDIATE_VALIDITY,
                        Profile.INTERMEDIATE, SubjectNames.ofSpiffeId(TD.id()), Optional.of(0),
                        new NameConstraints(List.of("example.com"), List.of(TD)), RevocationUrls.none());
                case ROOT -> new CertificateTemplate(serial, issuer(), ROOT_NAME, rootKey.getPublic(),
                        KeyAlgorithm.Family.EC, ROOT_VALIDITY, Profile.ROOT, SubjectNames.ofSpiffeId(TD.id()),
                        Optional.empty(), NameConstraints.none(), RevocationUrls.none());
            });
        }
    }

    private static Set<LintRule> rules(List<LintFinding> findings) {
        return findings.stream().map(LintFinding::rule).collect(Collectors.toCollection(() -> EnumSet.noneOf(LintRule.class)));
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void correctCertificateOfEveryProfileHasNoFindings(Base base) {
        assertThat(Linter.lint(base.tbs(), base.issuer(), base.profile())).isEmpty();
    }

    private static Arguments breaking(String name, LintRule rule, Base base, UnaryOperator<TbsEditor> edit) {
        return Arguments.of(name, rule, base, edit);
    }

    private static GeneralNames names(GeneralName... names) {
        return new GeneralNames(names);
    }

    private static GeneralName uri(String u) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, u);
    }

    static Stream<Arguments> violations() {
        byte[] otherKeyId = new byte[20];
        Arrays.fill(otherKeyId, (byte) 7);
        return Stream.of(
                breaking("fail version 1", LintRule.VERSION_3, Base.SERVER, TbsEditor::version1),
                breaking("fail negative serial", LintRule.SERIAL_POSITIVE, Base.SERVER,
                        e -> e.serial(BigInteger.ONE.shiftLeft(100).negate())),
                breaking("fail zero serial", LintRule.SERIAL_POSITIVE, Base.SERVER, e -> e.serial(BigInteger.ZERO)),
                breaking("fail serial of 21 octets", LintRule.SERIAL_LENGTH, Base.SERVER,
                        e -> e.serial(BigInteger.ONE.shiftLeft(160))),
                breaking("fail serial below 64 bits", LintRule.SERIAL_LENGTH, Base.SERVER,
                        e -> e.serial(BigInteger.valueOf(12345))),
                breaking("fail notAfter equals notBefore", LintRule.VALIDITY_ORDER, Base.SERVER,
                        e -> e.notAfter(e.notBefore())),
                breaking("fail notAfter before notBefore", LintRule.VALIDITY_ORDER, Base.SERVER,
                        e -> e.notAfter(e.notBefore().minusSeconds(60))),
                breaking("fail notAfter past the issuer's", LintRule.VALIDITY_WITHIN_ISSUER, Base.SERVER,
                        e -> e.notAfter(INTERMEDIATE_VALIDITY.notAfter().plusSeconds(1))),
                breaking("fail notBefore ahead of the issuer's", LintRule.VALIDITY_WITHIN_ISSUER, Base.SERVER,
                        e -> e.notBefore(INTERMEDIATE_VALIDITY.notBefore().minusSeconds(1))),
                breaking("fail issuer name differs", LintRule.ISSUER_NAME_MATCHES, Base.SERVER,
                        e -> e.issuer("CN=Someone Else")),
                breaking("fail issuer name re-encoded in another order", LintRule.ISSUER_NAME_MATCHES, Base.SERVER,
                        e -> e.issuer("O=Lint, CN=Lint Intermediate CA")),
                breaking("fail empty subject without SAN", LintRule.SUBJECT_OR_SAN, Base.SERVER,
                        e -> e.subject(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]))
                                .remove(Extension.subjectAlternativeName)),
                breaking("fail empty subject with non-critical SAN", LintRule.SAN_CRITICAL_WHEN_SUBJECT_EMPTY, Base.SVID,
                        e -> e.critical(Extension.subjectAlternativeName, false)),
                breaking("fail empty SAN", LintRule.SAN_NOT_EMPTY, Base.SERVER,
                        e -> e.set(Extension.subjectAlternativeName, false, names())),
                breaking("fail DNS SAN with underscore", LintRule.SAN_DNS_SYNTAX, Base.SERVER,
                        e -> e.set(Extension.subjectAlternativeName, false,
                                names(new GeneralName(GeneralName.dNSName, "bad_name.example.com")))),
                breaking("fail DNS SAN with trailing dot", LintRule.SAN_DNS_SYNTAX, Base.SERVER,
                        e -> e.set(Extension.subjectAlternativeName, false,
                                names(new GeneralName(GeneralName.dNSName, "api.example.com.")))),
                breaking("fail repeated extension", LintRule.EXTENSIONS_UNIQUE, Base.SERVER,
                        e -> e.duplicate(Extension.extendedKeyUsage)),
                breaking("fail no basic constraints", LintRule.BASIC_CONSTRAINTS_PRESENT, Base.SERVER,
                        e -> e.remove(Extension.basicConstraints)),
                breaking("fail no extensions at all", LintRule.BASIC_CONSTRAINTS_PRESENT, Base.SERVER,
                        TbsEditor::version1),
                breaking("fail CA with non-critical basic constraints", LintRule.BASIC_CONSTRAINTS_CRITICAL,
                        Base.INTERMEDIATE, e -> e.critical(Extension.basicConstraints, false)),
                breaking("fail pathLen with cA false", LintRule.PATH_LEN_ONLY_FOR_CA, Base.SERVER,
                        e -> e.set(Extension.basicConstraints, true, new DERSequence(new ASN1Integer(0)))),
                breaking("fail no key usage", LintRule.KEY_USAGE_PRESENT, Base.SERVER,
                        e -> e.remove(Extension.keyUsage)),
                breaking("fail non-critical key usage", LintRule.KEY_USAGE_CRITICAL, Base.SERVER,
                        e -> e.critical(Extension.keyUsage, false)),
                breaking("fail keyCertSign in a leaf", LintRule.KEY_USAGE_CA_CONSISTENT, Base.SERVER,
                        e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))),
                breaking("fail CA without keyCertSign", LintRule.KEY_USAGE_CA_CONSISTENT, Base.INTERMEDIATE,
                        e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.cRLSign))),
                breaking("fail keyEncipherment with an EC key", LintRule.KEY_USAGE_MATCHES_KEY_TYPE, Base.SERVER,
                        e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))),
                breaking("fail dataEncipherment with an RSA key", LintRule.KEY_USAGE_MATCHES_KEY_TYPE, Base.SVID_RSA,
                        e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.dataEncipherment))),
                breaking("fail CA without subject key identifier", LintRule.SKI_PRESENT, Base.INTERMEDIATE,
                        e -> e.remove(Extension.subjectKeyIdentifier)),
                breaking("fail leaf without authority key identifier", LintRule.AKI_PRESENT, Base.SERVER,
                        e -> e.remove(Extension.authorityKeyIdentifier)),
                breaking("fail intermediate without authority key identifier", LintRule.AKI_PRESENT, Base.INTERMEDIATE,
                        e -> e.remove(Extension.authorityKeyIdentifier)),
                breaking("fail authority key identifier of another key", LintRule.AKI_MATCHES_ISSUER, Base.SERVER,
                        e -> e.set(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(otherKeyId))),
                breaking("fail root authority key identifier not its own", LintRule.AKI_MATCHES_ISSUER, Base.ROOT,
                        e -> e.set(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(otherKeyId))),
                breaking("fail non-critical name constraints", LintRule.NAME_CONSTRAINTS_CRITICAL, Base.INTERMEDIATE,
                        e -> e.critical(Extension.nameConstraints, false)),
                breaking("fail name constraints in a leaf", LintRule.NAME_CONSTRAINTS_CRITICAL, Base.SERVER,
                        e -> e.set(Extension.nameConstraints, true, new org.bouncycastle.asn1.x509.NameConstraints(
                                new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "example.com"))},
                                null))),
                breaking("fail SVID with two URI SANs", LintRule.SVID_ONE_URI_SAN, Base.SVID,
                        e -> e.set(Extension.subjectAlternativeName, true,
                                names(uri("spiffe://example.org/a"), uri("spiffe://example.org/b")))),
                breaking("fail SVID with a SPIFFE ID and another URI", LintRule.SVID_ONE_URI_SAN, Base.SVID,
                        e -> e.set(Extension.subjectAlternativeName, true,
                                names(uri("spiffe://example.org/a"), uri("https://example.org/a")))),
                breaking("fail SVID without SPIFFE ID", LintRule.SVID_ONE_URI_SAN, Base.SVID,
                        e -> e.set(Extension.subjectAlternativeName, true,
                                names(new GeneralName(GeneralName.dNSName, "api.example.org")))),
                breaking("fail SVID with an invalid SPIFFE ID", LintRule.SVID_ONE_URI_SAN, Base.SVID,
                        e -> e.set(Extension.subjectAlternativeName, true, names(uri("spiffe://example.org/a//b")))),
                breaking("fail leaf SVID without path", LintRule.SVID_LEAF_PATH, Base.SVID,
                        e -> e.set(Extension.subjectAlternativeName, true, names(uri("spiffe://example.org")))),
                breaking("fail leaf SVID with cA true", LintRule.SVID_LEAF_NOT_CA, Base.SVID,
                        e -> e.set(Extension.basicConstraints, true, new BasicConstraints(true))),
                breaking("fail leaf SVID without digitalSignature", LintRule.SVID_LEAF_KEY_USAGE, Base.SVID,
                        e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyAgreement))),
                breaking("fail leaf SVID with cRLSign", LintRule.SVID_LEAF_KEY_USAGE, Base.SVID,
                        e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign))),
                breaking("fail leaf SVID with keyCertSign", LintRule.SVID_LEAF_KEY_USAGE, Base.SVID,
                        e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))),
                breaking("fail leaf SVID EKU without clientAuth", LintRule.SVID_LEAF_EKU, Base.SVID,
                        e -> e.set(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))),
                breaking("fail leaf SVID EKU without serverAuth", LintRule.SVID_LEAF_EKU, Base.SVID,
                        e -> e.set(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))),
                breaking("fail leaf SVID without EKU", LintRule.SVID_LEAF_EKU, Base.SVID,
                        e -> e.remove(Extension.extendedKeyUsage)),
                breaking("fail signing certificate SPIFFE ID with path", LintRule.SVID_SIGNING_NO_PATH, Base.INTERMEDIATE,
                        e -> e.set(Extension.subjectAlternativeName, false, names(uri("spiffe://example.org/ns")))),
                breaking("fail signing certificate with digitalSignature", LintRule.SVID_SIGNING_KEY_USAGE,
                        Base.INTERMEDIATE, e -> e.set(Extension.keyUsage, true,
                                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))),
                breaking("fail signing certificate without keyCertSign", LintRule.SVID_SIGNING_KEY_USAGE,
                        Base.INTERMEDIATE, e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.cRLSign))),
                breaking("fail OCSP signing purpose in a server certificate", LintRule.OCSP_SIGNING_EKU, Base.SERVER,
                        e -> e.set(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_OCSPSigning}))),
                breaking("fail OCSP signer without OCSP signing purpose", LintRule.OCSP_SIGNING_EKU, Base.OCSP_SIGNER,
                        e -> e.set(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))),
                breaking("fail OCSP signer with a second purpose", LintRule.OCSP_SIGNING_EKU, Base.OCSP_SIGNER,
                        e -> e.set(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                                new KeyPurposeId[] {KeyPurposeId.id_kp_OCSPSigning, KeyPurposeId.id_kp_clientAuth}))),
                breaking("fail OCSP signer without nocheck", LintRule.OCSP_SIGNING_NOCHECK, Base.OCSP_SIGNER,
                        e -> e.remove(OCSP_NOCHECK)),
                breaking("fail OCSP signer with nonRepudiation", LintRule.OCSP_SIGNING_NOCHECK, Base.OCSP_SIGNER,
                        e -> e.set(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation))),
                breaking("fail nocheck in a server certificate", LintRule.OCSP_SIGNING_NOCHECK, Base.SERVER,
                        e -> e.set(OCSP_NOCHECK, false, DERNull.INSTANCE)),
                breaking("fail must-staple without OCSP URL", LintRule.MUST_STAPLE_NEEDS_OCSP, Base.MUST_STAPLE,
                        e -> e.remove(Extension.authorityInfoAccess)),
                breaking("fail must-staple in a CA certificate", LintRule.MUST_STAPLE_NEEDS_OCSP, Base.INTERMEDIATE,
                        e -> e.set(TbsBuilder.TLS_FEATURE, false, new DERSequence(new ASN1Integer(5)))),
                breaking("fail SPIFFE ID of another trust domain", LintRule.SVID_TRUST_DOMAIN, Base.SVID,
                        e -> e.set(Extension.subjectAlternativeName, true, names(uri("spiffe://other.org/api")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void lintReportsTheRuleACertificateBreaks(String name, LintRule rule, Base base, UnaryOperator<TbsEditor> edit) {
        TBSCertificate broken = edit.apply(new TbsEditor(base.tbs())).build();

        List<LintFinding> findings = Linter.lint(broken, base.issuer(), base.profile());

        assertThat(rules(findings)).contains(rule);
        assertThat(findings).filteredOn(f -> f.rule() == rule)
                .allSatisfy(f -> assertThat(f.toString()).startsWith(rule.ruleName() + ": "));
    }

    @ParameterizedTest
    @EnumSource(LintRule.class)
    void everyLintRuleHasAViolationCase(LintRule rule) {
        assertThat(violations().map(a -> a.get()[1])).contains(rule);
    }

    @org.junit.jupiter.api.Test
    void mustStapleWritesTheTlsFeatureStatusRequestNonCritical() {
        Extension feature = Base.MUST_STAPLE.tbs().getExtensions().getExtension(TbsBuilder.TLS_FEATURE);

        assertThat(feature.isCritical()).isFalse();
        assertThat(feature.getExtnValue().getOctets()).isEqualTo(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
        assertThat(Base.SERVER.tbs().getExtensions().getExtension(TbsBuilder.TLS_FEATURE)).isNull();
    }

    @org.junit.jupiter.api.Test
    void ocspSignerCarriesNoRevocationUrlsEvenWhenConfigured() {
        var ext = Base.OCSP_SIGNER.tbs().getExtensions();

        assertThat(ext.getExtension(Extension.cRLDistributionPoints)).isNull();
        assertThat(ext.getExtension(Extension.authorityInfoAccess)).isNull();
        assertThat(ext.getExtension(OCSP_NOCHECK).getExtnValue().getOctets()).isEqualTo(new byte[] {0x05, 0x00});
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void rebuildingWithoutChangesKeepsACertificateClean(Base base) {
        TBSCertificate rebuilt = new TbsEditor(base.tbs()).build();

        assertThat(Linter.lint(rebuilt, base.issuer(), base.profile())).isEmpty();
    }
}
