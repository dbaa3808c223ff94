package io.certwright.ca.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.registry.RevocationReason;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.SingleResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The responder answers requests made by the real `openssl ocsp`, and openssl accepts the answers:
/// status, revocation time and reason, nonce, and the delegated signer's signature up to the root.
class OcspOpensslTest {

    private static Instant now = Instant.EPOCH;
    private static Pki pki;
    private static OcspSignerRotation signer;
    private static X509Certificate good;
    private static X509Certificate revoked;
    private static X509Certificate unknown;
    private static Instant revokedAt = Instant.EPOCH;
    private static final Map<BigInteger, RevocationStatus> STATUS = new ConcurrentHashMap<>();
    private static OcspResponder responder;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        // Fixed at the start of the run: openssl checks the response times against the real clock.
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        pki = Pki.create(clock);
        signer = OcspSignerRotation.start(pki.ca, OcspSignerRotation.Settings.DEFAULT, clock);
        good = pki.server("good.example.com");
        revoked = pki.server("revoked.example.com");
        unknown = pki.server("unknown.example.com");
        revokedAt = now.minus(Duration.ofMinutes(10));
        STATUS.put(good.getSerialNumber(), RevocationStatus.good());
        STATUS.put(revoked.getSerialNumber(), RevocationStatus.revoked(revokedAt, RevocationReason.KEY_COMPROMISE));
        responder = OcspResponder.forCa(pki.intermediate(), signer,
                (issuer, serial) -> STATUS.getOrDefault(serial.value(), RevocationStatus.unknown()), clock,
                Duration.ofHours(1));
        Pki.write(dir, "root.pem", pki.root());
        Pki.write(dir, "ca.pem", pki.intermediate());
        Pki.write(dir, "good.pem", good);
        Pki.write(dir, "revoked.pem", revoked);
        Pki.write(dir, "unknown.pem", unknown);
    }

    /// Has openssl write a request for `cert` (with `options` such as `-no_nonce` or a digest), answers it,
    /// and has openssl check the answer against `cert` and the root.
    private static Openssl.Result roundTrip(String cert, String name, String... options) throws Exception {
        answer(cert, name, options);
        List<String> check = new ArrayList<>(List.of("ocsp", "-respin", name + ".resp", "-issuer", "ca.pem"));
        check.addAll(List.of(options));
        check.addAll(List.of("-cert", cert, "-CAfile", "root.pem", "-resp_text"));
        return Openssl.run(dir, check.toArray(String[]::new));
    }

    private static OcspResponse answer(String cert, String name, String... options) throws Exception {
        List<String> req = new ArrayList<>(List.of("ocsp", "-issuer", "ca.pem"));
        req.addAll(List.of(options)); // a digest option must come before -cert
        req.addAll(List.of("-cert", cert, "-reqout", name + ".req"));
        Openssl.Result made = Openssl.run(dir, req.toArray(String[]::new));
        assertThat(made.ok()).as(made.output()).isTrue();
        OcspResponse response = responder.respond(Files.readAllBytes(dir.resolve(name + ".req")));
        Files.write(dir.resolve(name + ".resp"), response.der());
        return response;
    }

    @Test
    void opensslReportsGoodAndVerifiesTheDelegatedSignature() throws Exception {
        Openssl.Result r = roundTrip("good.pem", "good", "-no_nonce");

        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Response verify OK", "good.pem: good", "Cert Status: good",
                "OCSP Response Status: successful (0x0)").doesNotContain("WARNING");
    }

    @Test
    void opensslReportsRevokedWithTimeAndReason() throws Exception {
        Openssl.Result r = roundTrip("revoked.pem", "revoked", "-no_nonce");

        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Response verify OK", "revoked.pem: revoked", "Reason: keyCompromise");
        String time = java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", java.util.Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(revokedAt);
        assertThat(r.output()).contains("Revocation Time: " + time + " GMT");
    }

    @Test
    void opensslReportsUnknownForACertificateTheStoreDoesNotKnow() throws Exception {
        Openssl.Result r = roundTrip("unknown.pem", "unknown", "-no_nonce");

        assertThat(r.output()).contains("Response verify OK", "unknown.pem: unknown");
    }

    @Test
    void nonceIsEchoedAndOpensslChecksIt() throws Exception {
        OcspResponse response = answer("good.pem", "nonce");

        // With -reqin alone openssl compares the response's nonce with the request's.
        Openssl.Result r = Openssl.run(dir, "ocsp", "-reqin", "nonce.req", "-respin", "nonce.resp", "-verify_other", "ca.pem", "-CAfile",
                "root.pem", "-resp_text");

        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Response verify OK", "Cert Status: good", "OCSP Nonce:")
                .doesNotContainIgnoringCase("nonce verify error").doesNotContainIgnoringCase("no nonce");
        assertThat(response.cacheable()).isFalse();
    }

    @Test
    void aResponseToAnotherNonceFailsOpensslsCheck() throws Exception {
        answer("good.pem", "nonce-a");
        answer("good.pem", "nonce-b");

        Openssl.Result r = Openssl.run(dir, "ocsp", "-reqin", "nonce-a.req", "-respin", "nonce-b.resp", "-verify_other", "ca.pem", "-CAfile",
                "root.pem");

        assertThat(r.output()).contains("Nonce Verify error");
    }

    @Test
    void sha256CertIdsAreAnsweredToo() throws Exception {
        Openssl.Result r = roundTrip("revoked.pem", "sha256", "-sha256", "-no_nonce");

        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Response verify OK", "revoked.pem: revoked", "Hash Algorithm: sha256");
    }

    @Test
    void responseNamesTheResponderByKeyCarriesItsCertificateAndIsValidForThePeriod() throws Exception {
        Openssl.Result made = Openssl.run(dir, "ocsp", "-issuer", "ca.pem", "-cert", "good.pem", "-no_nonce",
                "-reqout", "shape.req");
        assertThat(made.ok()).as(made.output()).isTrue();

        OcspResponse response = responder.respond(Files.readAllBytes(dir.resolve("shape.req")));

        BasicOCSPResponse basic = BasicOCSPResponse.getInstance(ASN1OctetString.getInstance(
                OCSPResponse.getInstance(response.der()).getResponseBytes().getResponse()).getOctets());
        ResponseData data = basic.getTbsResponseData();
        ResponderID id = data.getResponderID();
        assertThat(id.getKeyHash()).isEqualTo(java.security.MessageDigest.getInstance("SHA-1").digest(
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                        signer.current().certificate().getPublicKey().getEncoded()).getPublicKeyData().getBytes()));
        assertThat(basic.getCerts()).hasSize(1);
        assertThat(basic.getCerts().getObjectAt(0).toASN1Primitive().getEncoded())
                .isEqualTo(signer.current().certificate().getEncoded());
        SingleResponse single = SingleResponse.getInstance(data.getResponses().getObjectAt(0));
        assertThat(single.getThisUpdate().getDate().toInstant()).isEqualTo(now);
        assertThat(single.getNextUpdate().getDate().toInstant()).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(data.getProducedAt().getDate().toInstant()).isEqualTo(now);
        assertThat(response.thisUpdate()).contains(now);
        assertThat(response.nextUpdate()).contains(now.plus(Duration.ofHours(1)));
        assertThat(response.cacheable()).isTrue();
    }
}
