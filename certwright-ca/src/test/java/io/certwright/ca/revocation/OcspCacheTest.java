package io.certwright.ca.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// What the responder keeps, for how long, and what makes it answer afresh.
class OcspCacheTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration VALIDITY = Duration.ofHours(1);

    private MutableClock clock = new MutableClock(START);
    private Pki pki;
    private OcspSignerRotation rotation;
    private final AtomicInteger signatures = new AtomicInteger();
    private final AtomicReference<OcspSigner> signer = new AtomicReference<>();
    private final Map<BigInteger, RevocationStatus> status = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private X509Certificate leaf;
    private OcspResponder responder;

    /// Counts the signatures a signer makes.
    private final class Counting implements SigningKey {
        private final SigningKey key;

        Counting(SigningKey key) {
            this.key = key;
        }

        @Override
        public KeyAlgorithm algorithm() {
            return key.algorithm();
        }

        @Override
        public PublicKey publicKey() {
            return key.publicKey();
        }

        @Override
        public String providerName() {
            return key.providerName();
        }

        @Override
        public byte[] sign(byte[] data) throws GeneralSecurityException {
            signatures.incrementAndGet();
            return key.sign(data);
        }
    }

    private OcspSigner counting(OcspSigner s) {
        return new OcspSigner(s.certificate(), new Counting(s.key()));
    }

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(START);
        pki = Pki.create(clock);
        rotation = OcspSignerRotation.start(pki.ca, OcspSignerRotation.Settings.DEFAULT, clock);
        signer.set(counting(rotation.current()));
        leaf = pki.server("leaf.example.com");
        status.put(leaf.getSerialNumber(), RevocationStatus.good());
        responder = responder(OcspResponder.DEFAULT_MAX_CACHED);
    }

    private OcspResponder responder(int maxCached) {
        return new OcspResponder(List.of(new OcspResponder.Authority(pki.intermediate(), signer::get)),
                (issuer, serial) -> {
                    lookups.incrementAndGet();
                    return status.getOrDefault(serial.value(), RevocationStatus.unknown());
                }, clock, VALIDITY, maxCached);
    }

    private byte[] request(BigInteger serial) throws Exception {
        return OcspRequests.request(OcspRequests.certId(OcspRequests.SHA1, "SHA-1", pki.intermediate(), serial));
    }

    @Test
    void aKeptGoodAnswerIsServedAgainWithoutLookupOrSignature() throws Exception {
        byte[] req = request(leaf.getSerialNumber());
        OcspResponse first = responder.respond(req);

        OcspResponse second = responder.respond(req.clone());

        assertThat(second.der()).isEqualTo(first.der());
        assertThat(signatures).hasValue(1);
        assertThat(lookups).hasValue(1);
        assertThat(responder.cachedResponses()).isEqualTo(1);
    }

    @Test
    void revocationShowsInTheNextAnswerAfterInvalidate() throws Exception {
        byte[] req = request(leaf.getSerialNumber());
        assertThat(responder.respond(req).certificateStatus()).containsInstanceOf(RevocationStatus.Good.class);
        status.put(leaf.getSerialNumber(), RevocationStatus.revoked(START, RevocationReason.KEY_COMPROMISE));

        responder.invalidate(Pki.serial(leaf));

        assertThat(responder.respond(req).certificateStatus())
                .contains(RevocationStatus.revoked(START, RevocationReason.KEY_COMPROMISE));
    }

    @Test
    void withoutInvalidateAKeptAnswerStandsUntilItsRefresh() throws Exception {
        byte[] req = request(leaf.getSerialNumber());
        responder.respond(req);
        status.put(leaf.getSerialNumber(), RevocationStatus.revoked(START, RevocationReason.KEY_COMPROMISE));

        assertThat(responder.respond(req).certificateStatus()).containsInstanceOf(RevocationStatus.Good.class);
    }

    @Test
    void invalidatingOneSerialKeepsTheAnswersAboutOthers() throws Exception {
        X509Certificate otherLeaf = pki.server("other.example.com");
        status.put(otherLeaf.getSerialNumber(), RevocationStatus.good());
        responder.respond(request(leaf.getSerialNumber()));
        responder.respond(request(otherLeaf.getSerialNumber()));

        responder.invalidate(Pki.serial(leaf));

        assertThat(responder.cachedResponses()).isEqualTo(1);
        responder.respond(request(otherLeaf.getSerialNumber()));
        assertThat(signatures).hasValue(2);
    }

    @Test
    void answersAreRefreshedOnceLessThanAQuarterOfTheirValidityRemains() throws Exception {
        byte[] req = request(leaf.getSerialNumber());
        byte[] first = responder.respond(req).der();

        clock.advance(Duration.ofMinutes(44));
        byte[] stillKept = responder.respond(req).der();
        clock.advance(Duration.ofMinutes(2));
        OcspResponse refreshed = responder.respond(req);

        assertThat(stillKept).isEqualTo(first);
        assertThat(refreshed.der()).isNotEqualTo(first);
        assertThat(refreshed.thisUpdate()).contains(START.plus(Duration.ofMinutes(46)));
        assertThat(signatures).hasValue(2);
    }

    @Test
    void requestsWithANonceAreSignedAfreshEveryTime() throws Exception {
        byte[] req = OcspRequests.request(OcspRequests.certId(OcspRequests.SHA1, "SHA-1", pki.intermediate(),
                leaf.getSerialNumber()), OcspRequests.nonce(new byte[16]));

        responder.respond(req);
        responder.respond(req);

        assertThat(signatures).hasValue(2);
        assertThat(responder.cachedResponses()).isZero();
    }

    @Test
    void unknownAnswersAreNotKept() throws Exception {
        byte[] req = request(BigInteger.valueOf(0x123456789L));

        responder.respond(req);
        responder.respond(req);

        assertThat(signatures).hasValue(2);
        assertThat(responder.cachedResponses()).isZero();
    }

    @Test
    void aNewSignerMakesEveryKeptAnswerStale() throws Exception {
        byte[] req = request(leaf.getSerialNumber());
        byte[] before = responder.respond(req).der();
        signer.set(counting(rotation.rotate()));

        byte[] after = responder.respond(req).der();

        assertThat(signatures).hasValue(2);
        assertThat(after).isNotEqualTo(before);
        assertThat(new String(after, java.nio.charset.StandardCharsets.ISO_8859_1)).contains(new String(
                signer.get().certificate().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void nextUpdateNeverPassesTheSignersExpiry() throws Exception {
        OcspResponder longLived = new OcspResponder(List.of(new OcspResponder.Authority(pki.intermediate(), signer::get)),
                (issuer, serial) -> RevocationStatus.good(), clock, Duration.ofDays(7));

        OcspResponse response = longLived.respond(request(leaf.getSerialNumber()));

        assertThat(response.nextUpdate()).contains(signer.get().certificate().getNotAfter().toInstant());
    }

    @Test
    void anExpiredSignerAnswersInternalError() throws Exception {
        clock.advance(Duration.ofDays(2));

        assertThat(responder.respond(request(leaf.getSerialNumber())).status())
                .isEqualTo(OcspResponse.Status.INTERNAL_ERROR);
    }

    @Test
    void aSignerNotIssuedByTheCaAnswersInternalError() throws Exception {
        Pki other = Pki.create(clock, "Other", s -> s);
        signer.set(OcspSignerRotation.start(other.ca, OcspSignerRotation.Settings.DEFAULT, clock).current());

        assertThat(responder.respond(request(leaf.getSerialNumber())).status())
                .isEqualTo(OcspResponse.Status.INTERNAL_ERROR);
    }

    @Test
    void theCaItselfMaySignAndThenNoCertificateIsIncluded() throws Exception {
        signer.set(new OcspSigner(pki.intermediate(), pki.intermediateKey));

        OcspResponse response = responder.respond(request(leaf.getSerialNumber()));

        assertThat(response.status()).isEqualTo(OcspResponse.Status.SUCCESSFUL);
        var basic = org.bouncycastle.asn1.ocsp.BasicOCSPResponse.getInstance(org.bouncycastle.asn1.ASN1OctetString
                .getInstance(org.bouncycastle.asn1.ocsp.OCSPResponse.getInstance(response.der()).getResponseBytes()
                        .getResponse()).getOctets());
        assertThat(basic.getCerts()).isNull();
    }

    @Test
    void theCacheNeverHoldsMoreThanItsBound() throws Exception {
        OcspResponder small = responder(2);
        for (int i = 0; i < 5; i++) {
            X509Certificate c = pki.server("h" + i + ".example.com");
            status.put(c.getSerialNumber(), RevocationStatus.good());
            small.respond(request(c.getSerialNumber()));

            assertThat(small.cachedResponses()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void invalidateAllDropsEveryKeptAnswer() throws Exception {
        responder.respond(request(leaf.getSerialNumber()));

        responder.invalidateAll();

        assertThat(responder.cachedResponses()).isZero();
    }

    @Test
    void bulkInvalidationDropsEveryNamedSerial() throws Exception {
        X509Certificate second = pki.server("second.example.com");
        status.put(second.getSerialNumber(), RevocationStatus.good());
        responder.respond(request(leaf.getSerialNumber()));
        responder.respond(request(second.getSerialNumber()));

        responder.invalidate(List.of(Pki.serial(leaf), Pki.serial(second), new SerialNumber(BigInteger.TEN)));

        assertThat(responder.cachedResponses()).isZero();
    }
}
