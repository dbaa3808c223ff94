package io.certwright.ca.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.Issuer;
import io.certwright.ca.profile.PolicyException;
import io.certwright.core.KeyAlgorithm;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcspSignerRotationTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private MutableClock clock = new MutableClock(START);
    private Pki pki;
    private OcspSignerRotation rotation;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(START);
        pki = Pki.create(clock);
        rotation = OcspSignerRotation.start(pki.ca, OcspSignerRotation.Settings.DEFAULT, clock);
    }

    @Test
    void signerCertificateIsADelegatedOcspSignerIssuedByTheCa() throws Exception {
        X509Certificate cert = rotation.current().certificate();

        cert.verify(pki.intermediate().getPublicKey());
        assertThat(cert.getIssuerX500Principal()).isEqualTo(pki.intermediate().getSubjectX500Principal());
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.9");
        assertThat(cert.getNonCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.48.1.5");
        assertThat(cert.getKeyUsage()).startsWith(true, false, false, false, false, false, false);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getExtensionValue("2.5.29.31")).as("no CRL distribution point").isNull();
        assertThat(cert.getExtensionValue("1.3.6.1.5.5.7.1.1")).as("no AIA").isNull();
        assertThat(Duration.between(START, cert.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void opensslSeesOcspSigningAndNoCheck() throws Exception {
        Pki.write(dir, "signer.pem", rotation.current().certificate());

        Openssl.Result r = Openssl.run(dir, "x509", "-in", "signer.pem", "-noout", "-text");

        assertThat(r.output()).contains("OCSP Signing", "OCSP No Check", "Digital Signature",
                "Subject: CN = Certwright OCSP Responder");
    }

    @Test
    void everySignerCertificateIsRecordedInTheLedger() throws Exception {
        X509Certificate first = rotation.current().certificate();
        X509Certificate second = rotation.rotate().certificate();

        assertThat(pki.ledger.find(Pki.serial(first))).isPresent();
        assertThat(pki.ledger.find(Pki.serial(second))).isPresent();
        assertThat(pki.ledger.find(Pki.serial(second)).orElseThrow().pending().profile().wireName())
                .isEqualTo("ocsp-signer");
    }

    @Test
    void keepsTheSignerWhileMoreThanTheFractionOfItsLifetimeRemains() throws Exception {
        OcspSigner first = rotation.current();
        clock.advance(Duration.ofHours(15));

        assertThat(rotation.rotateIfNeeded()).isEmpty();
        assertThat(rotation.current()).isSameAs(first);
    }

    @Test
    void rotatesOnceLessThanTheFractionOfItsLifetimeRemains() throws Exception {
        OcspSigner first = rotation.current();
        clock.advance(Duration.ofHours(17));

        Optional<OcspSigner> next = rotation.rotateIfNeeded();

        assertThat(next).isPresent();
        assertThat(rotation.current()).isSameAs(next.get()).isNotSameAs(first);
        assertThat(next.get().certificate().getPublicKey()).isNotEqualTo(first.certificate().getPublicKey());
        assertThat(next.get().certificate().getNotBefore().toInstant()).isAfter(START);
        assertThat(rotation.get()).isSameAs(next.get());
    }

    @Test
    void rotatesWhenTheCaHasANewIssuingCertificate() throws Exception {
        Pki successor = Pki.create(clock);
        pki.ca.rotate(new Issuer(successor.intermediate(), List.of(), successor.intermediateKey, Optional.empty()));

        Optional<OcspSigner> next = rotation.rotateIfNeeded();

        assertThat(next).isPresent();
        next.get().certificate().verify(successor.intermediate().getPublicKey());
    }

    @Test
    void aLifetimeBeyondTheProfileMaximumIsRefused() {
        var tooLong = new OcspSignerRotation.Settings(KeyAlgorithm.P256, Duration.ofDays(30), 0.5);

        assertThrows(PolicyException.class, () -> OcspSignerRotation.start(pki.ca, tooLong, clock));
    }

    @Test
    void renewalFractionMustLieBetweenZeroAndOne() {
        assertThrows(IllegalArgumentException.class,
                () -> new OcspSignerRotation.Settings(KeyAlgorithm.P256, Duration.ofDays(1), 1.0));
        assertThrows(IllegalArgumentException.class,
                () -> new OcspSignerRotation.Settings(KeyAlgorithm.P256, Duration.ofDays(1), 0));
    }

    @Test
    void signerToStringRevealsNoKey() {
        assertThat(rotation.current().toString()).doesNotContain("Private").contains("OCSP Responder");
    }
}
