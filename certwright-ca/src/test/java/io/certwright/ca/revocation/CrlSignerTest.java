package io.certwright.ca.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.SerialNumber;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlSignerTest {

    /// The time of the test run, fixed when it starts: openssl checks CRLs against the real time.
    private static Instant NOW = Instant.EPOCH;
    private static Clock CLOCK = Clock.systemUTC();

    private static final List<RevocationReason> REASONS = List.of(RevocationReason.values());
    private static Pki pki;
    private static X509Certificate good;
    private static X509Certificate revoked;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
        pki = Pki.create(CLOCK);
        good = pki.server("good.example.com");
        revoked = pki.server("revoked.example.com");
    }

    private static CrlEntry entry(X509Certificate cert, RevocationReason reason) {
        return new CrlEntry(Pki.serial(cert), NOW.minusSeconds(60), reason, cert.getNotAfter().toInstant());
    }

    private static X509CRL parse(CertificateRevocationList crl) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl.der()));
    }

    private CertificateRevocationList sign(long number, CrlEntry... entries) throws Exception {
        return pki.crlSigner().sign(Pki.number(number), NOW, NOW.plus(Duration.ofHours(6)), List.of(entries));
    }

    private Path write(String name, CertificateRevocationList crl) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, crl.pem(), StandardCharsets.US_ASCII);
        return file;
    }

    @Test
    void opensslReadsNumberIssuerAuthorityKeyIdAndEveryEntryWithItsReason() throws Exception {
        CertificateRevocationList crl = sign(42, entry(revoked, RevocationReason.KEY_COMPROMISE),
                entry(good, RevocationReason.UNSPECIFIED));
        Files.write(dir.resolve("crl.der"), crl.der());

        Openssl.Result r = Openssl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text");

        assertThat(r.ok()).as(r.output()).isTrue();
        String aki = HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                io.certwright.ca.internal.x509.X509Certificates.subjectKeyIdentifier(pki.intermediate()));
        assertThat(r.output()).contains("Version 2 (0x1)", "CRL Number: \n                42", aki,
                "Issuer: O = Revocation, CN = Revocation Intermediate CA",
                Pki.serial(revoked).colonHex().replace(":", ""), Pki.serial(good).colonHex().replace(":", ""),
                "Key Compromise");
        assertThat(r.output().split("CRL Reason Code", -1)).as("only the keyCompromise entry has a reason").hasSize(2);
    }

    @Test
    void jdkParsesTheCrlAndVerifiesItsSignatureWithTheCaKey() throws Exception {
        CertificateRevocationList crl = sign(7, entry(revoked, RevocationReason.SUPERSEDED));

        X509CRL parsed = parse(crl);
        parsed.verify(pki.intermediate().getPublicKey());

        assertThat(parsed.getVersion()).isEqualTo(2);
        assertThat(parsed.getThisUpdate().toInstant()).isEqualTo(NOW);
        assertThat(parsed.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(6)));
        X509CRLEntry e = parsed.getRevokedCertificate(revoked.getSerialNumber());
        assertThat(e.getRevocationDate().toInstant()).isEqualTo(NOW.minusSeconds(60));
        assertThat(e.getRevocationReason()).isEqualTo(CRLReason.SUPERSEDED);
        assertThat(parsed.isRevoked(good)).isFalse();
        assertThat(crl.entries()).isEqualTo(1);
        assertThat(crl.number()).isEqualTo(BigInteger.valueOf(7));
    }

    @Test
    void crlIssuerNameIsTheCaSubjectByteForByteAndAuthorityKeyIdIsItsKeyId() throws Exception {
        X509CRL parsed = parse(sign(1));

        assertThat(parsed.getIssuerX500Principal().getEncoded())
                .isEqualTo(pki.intermediate().getSubjectX500Principal().getEncoded());
        byte[] aki = ASN1OctetString.getInstance(parsed.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets();
        assertThat(AuthorityKeyIdentifier.getInstance(aki).getKeyIdentifierObject().getOctets())
                .isEqualTo(io.certwright.ca.internal.x509.X509Certificates.subjectKeyIdentifier(pki.intermediate()));
        byte[] number = ASN1OctetString.getInstance(parsed.getExtensionValue(Extension.cRLNumber.getId())).getOctets();
        assertThat(ASN1Integer.getInstance(number).getValue()).isEqualTo(BigInteger.ONE);
        assertThat(parsed.getCriticalExtensionOIDs()).isEmpty();
    }

    @Test
    void emptyCrlListsNothingAndStillVerifies() throws Exception {
        CertificateRevocationList crl = sign(3);
        Path file = write("empty.pem", crl);

        Openssl.Result r = Openssl.run(dir, "crl", "-in", file.toString(), "-noout", "-text");

        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("No Revoked Certificates");
        assertThat(parse(crl).getRevokedCertificates()).isNull();
    }

    @Test
    void opensslVerifyAcceptsTheGoodLeafAndRejectsTheRevokedOne() throws Exception {
        Path crl = write("crl.pem", sign(5, entry(revoked, RevocationReason.KEY_COMPROMISE)));
        Pki.write(dir, "root.pem", pki.root());
        Pki.write(dir, "intermediate.pem", pki.intermediate());
        Pki.write(dir, "good.pem", good);
        Pki.write(dir, "revoked.pem", revoked);

        Openssl.Result ok = Openssl.run(dir, "verify", "-crl_check", "-CRLfile", crl.toString(), "-CAfile", "root.pem",
                "-untrusted", "intermediate.pem", "good.pem");
        Openssl.Result refused = Openssl.run(dir, "verify", "-crl_check", "-CRLfile", crl.toString(), "-CAfile",
                "root.pem", "-untrusted", "intermediate.pem", "revoked.pem");

        assertThat(ok.ok()).as(ok.output()).isTrue();
        assertThat(ok.output()).contains("good.pem: OK");
        assertThat(refused.ok()).as(refused.output()).isFalse();
        assertThat(refused.output()).contains("certificate revoked");
    }

    @Test
    void rootCrlListingTheIntermediateMakesEveryLeafBelowItFail() throws Exception {
        CrlSigner root = new CrlSigner(pki.root(), pki.rootKey);
        Path leafCrl = write("intermediate.crl.pem", sign(1));
        Path cleanRoot = write("root-clean.crl.pem",
                root.sign(Pki.number(1), NOW, NOW.plus(Duration.ofDays(7)), List.of()));
        Path revokingRoot = write("root-revoking.crl.pem", root.sign(Pki.number(2), NOW, NOW.plus(Duration.ofDays(7)),
                List.of(new CrlEntry(Pki.serial(pki.intermediate()), NOW, RevocationReason.CA_COMPROMISE,
                        pki.intermediate().getNotAfter().toInstant()))));
        Pki.write(dir, "root.pem", pki.root());
        Pki.write(dir, "intermediate.pem", pki.intermediate());
        Pki.write(dir, "good.pem", good);
        Files.writeString(dir.resolve("clean.pem"), Files.readString(leafCrl) + Files.readString(cleanRoot));
        Files.writeString(dir.resolve("revoking.pem"), Files.readString(leafCrl) + Files.readString(revokingRoot));

        Openssl.Result ok = Openssl.run(dir, "verify", "-crl_check_all", "-CRLfile", "clean.pem", "-CAfile", "root.pem",
                "-untrusted", "intermediate.pem", "good.pem");
        Openssl.Result refused = Openssl.run(dir, "verify", "-crl_check_all", "-CRLfile", "revoking.pem", "-CAfile",
                "root.pem", "-untrusted", "intermediate.pem", "good.pem");

        assertThat(ok.ok()).as(ok.output()).isTrue();
        assertThat(refused.ok()).as(refused.output()).isFalse();
        assertThat(refused.output()).contains("certificate revoked");
    }

    @Test
    void crlOmitsCertificatesExpiredBeyondGrace() throws Exception {
        Duration grace = Duration.ofDays(1);
        CrlEntry live = new CrlEntry(new SerialNumber(BigInteger.valueOf(0x1001)), NOW.minusSeconds(10),
                RevocationReason.KEY_COMPROMISE, NOW.plus(Duration.ofHours(1)));
        CrlEntry withinGrace = new CrlEntry(new SerialNumber(BigInteger.valueOf(0x1002)), NOW.minusSeconds(10),
                RevocationReason.KEY_COMPROMISE, NOW.minus(Duration.ofHours(23)));
        CrlEntry exactlyAtGrace = new CrlEntry(new SerialNumber(BigInteger.valueOf(0x1003)), NOW.minusSeconds(10),
                RevocationReason.KEY_COMPROMISE, NOW.minus(grace));
        CrlEntry beyondGrace = new CrlEntry(new SerialNumber(BigInteger.valueOf(0x1004)), NOW.minus(Duration.ofDays(3)),
                RevocationReason.KEY_COMPROMISE, NOW.minus(grace).minusSeconds(1));

        CertificateRevocationList crl = pki.crlSigner().sign(Pki.number(9), NOW, NOW.plus(Duration.ofHours(1)),
                Stream.of(live, withinGrace, exactlyAtGrace, beyondGrace).filter(CrlEntry.notExpiredBeyond(NOW, grace)));

        X509CRL parsed = parse(crl);
        assertThat(parsed.getRevokedCertificates()).extracting(X509CRLEntry::getSerialNumber)
                .containsExactlyInAnyOrder(BigInteger.valueOf(0x1001), BigInteger.valueOf(0x1002), BigInteger.valueOf(0x1003));
    }

    @Test
    void largeCrlKeepsEveryEntry() throws Exception {
        SecureRandom random = new SecureRandom();
        List<CrlEntry> entries = Stream.generate(() -> new CrlEntry(SerialNumber.random(random),
                NOW.minusSeconds(random.nextInt(86_400)), REASONS.get(random.nextInt(REASONS.size())),
                NOW.plusSeconds(3600))).limit(5_000).toList();

        X509CRL parsed = parse(pki.crlSigner().sign(Pki.number(10), NOW, NOW.plusSeconds(3600), entries));

        parsed.verify(pki.intermediate().getPublicKey());
        assertThat(parsed.getRevokedCertificates()).hasSize(5_000);
        CrlEntry some = entries.get(1234);
        X509CRLEntry e = parsed.getRevokedCertificate(some.serial().value());
        assertThat(e.getRevocationDate().toInstant()).isEqualTo(some.revokedAt());
        assertThat(e.getRevocationReason() == null ? RevocationReason.UNSPECIFIED
                : RevocationReason.valueOf(e.getRevocationReason().name())).isEqualTo(some.reason());
    }

    @Test
    void aSerialListedTwiceIsRefused() {
        CrlEntry once = entry(revoked, RevocationReason.KEY_COMPROMISE);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sign(1, once, once));

        assertThat(e).hasMessageContaining("listed twice");
    }

    @Test
    void nextUpdateNotAfterThisUpdateIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> pki.crlSigner().sign(Pki.number(1), NOW, NOW, List.of()));
    }

    @Test
    void negativeOrOversizedCrlNumberIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> pki.crlSigner().sign(Pki.number(-1), NOW, NOW.plusSeconds(60), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> pki.crlSigner().sign(BigInteger.ONE.shiftLeft(160), NOW, NOW.plusSeconds(60), List.of()));
    }

    @Test
    void aKeyOfAnotherCaCannotSignItsCrl() {
        assertThrows(IllegalArgumentException.class, () -> new CrlSigner(pki.intermediate(), pki.rootKey));
    }

    @Test
    void aLeafCertificateCannotSignCrls() throws Exception {
        java.security.KeyPair pair = io.certwright.ca.keys.CryptoProviders.generate(io.certwright.core.KeyAlgorithm.P256);
        X509Certificate leaf = pki.ca.issue(new io.certwright.ca.IssuanceRequest(io.certwright.ca.profile.Profile.SERVER,
                pair.getPublic(), java.util.Optional.empty(), new io.certwright.ca.profile.SubjectNames(
                        List.of("leaf.example.com"), List.of(), List.of(), List.of()), java.util.Optional.empty()))
                .certificate();
        var key = io.certwright.ca.keys.JcaSigningKey.of(io.certwright.core.KeyAlgorithm.P256, pair.getPrivate(),
                pair.getPublic());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CrlSigner(leaf, key));

        assertThat(e).hasMessageContaining("not a CA");
    }
}
