package io.certwright.ca.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.registry.RegistryException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/// Bad, foreign and odd requests: each gets its exact `OCSPResponseStatus`, and nothing throws.
class OcspBadInputTest {

    private static Pki pki;
    private static Pki other;
    private static X509Certificate leaf;
    private static OcspResponder responder;
    /// Real requests from `openssl ocsp`.
    private static byte[] opensslRequest = new byte[0];
    private static byte[] opensslTwoCertificates = new byte[0];
    private static byte[] opensslOtherCa = new byte[0];
    private static byte[] opensslMd5 = new byte[0];

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        pki = Pki.create(clock);
        other = Pki.create(clock, "Other", s -> s);
        leaf = pki.server("leaf.example.com");
        X509Certificate second = pki.server("second.example.com");
        X509Certificate foreign = other.server("foreign.example.com");
        OcspSignerRotation signer = OcspSignerRotation.start(pki.ca, OcspSignerRotation.Settings.DEFAULT, clock);
        responder = OcspResponder.forCa(pki.intermediate(), signer, (issuer, serial) -> {
            if (serial.value().equals(BigInteger.valueOf(0xdead))) {
                throw new RegistryException(RegistryException.Kind.STORAGE, "database unavailable");
            }
            return RevocationStatus.good();
        }, clock, Duration.ofHours(1));
        Pki.write(dir, "ca.pem", pki.intermediate());
        Pki.write(dir, "other-ca.pem", other.intermediate());
        Pki.write(dir, "leaf.pem", leaf);
        Pki.write(dir, "second.pem", second);
        Pki.write(dir, "foreign.pem", foreign);
        opensslRequest = openssl("one", "-issuer", "ca.pem", "-cert", "leaf.pem");
        opensslTwoCertificates = openssl("two", "-issuer", "ca.pem", "-cert", "leaf.pem", "-cert", "second.pem");
        opensslOtherCa = openssl("other", "-issuer", "other-ca.pem", "-cert", "foreign.pem");
        opensslMd5 = openssl("md5", "-issuer", "ca.pem", "-md5", "-cert", "leaf.pem");
    }

    private static byte[] openssl(String name, String... args) throws Exception {
        String[] cmd = Stream.concat(Stream.of("ocsp", "-no_nonce"), Stream.concat(Arrays.stream(args),
                Stream.of("-reqout", name + ".req"))).toArray(String[]::new);
        Openssl.Result r = Openssl.run(dir, cmd);
        assertThat(r.ok()).as(r.output()).isTrue();
        return Files.readAllBytes(dir.resolve(name + ".req"));
    }

    private static CertID sha1(BigInteger serial) throws Exception {
        return OcspRequests.certId(OcspRequests.SHA1, "SHA-1", pki.intermediate(), serial);
    }

    private static BigInteger serial() {
        return leaf.getSerialNumber();
    }

    interface Bytes {
        byte[] get() throws Exception;
    }

    private static Arguments corpus(String name, OcspResponse.Status expected, Bytes request) {
        return Arguments.of(name, expected, request);
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                corpus("empty body", OcspResponse.Status.MALFORMED_REQUEST, () -> new byte[0]),
                corpus("ASCII garbage", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> "GET /ocsp HTTP/1.1".getBytes(StandardCharsets.US_ASCII)),
                corpus("random bytes", OcspResponse.Status.MALFORMED_REQUEST, () -> {
                    byte[] b = new byte[300];
                    new Random(4).nextBytes(b);
                    return b;
                }),
                corpus("oversized body", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> Arrays.copyOf(opensslRequest, OcspResponder.MAX_REQUEST_BYTES + 1)),
                corpus("trailing byte after the request", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> Arrays.copyOf(opensslRequest, opensslRequest.length + 1)),
                corpus("two certificates in one request", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> opensslTwoCertificates),
                corpus("no certificate at all", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> OcspRequests.request(null, List.of())),
                corpus("version 2", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> OcspRequests.request(1, List.of(sha1(serial())))),
                corpus("explicit version 1", OcspResponse.Status.SUCCESSFUL,
                        () -> OcspRequests.request(0, List.of(sha1(serial())))),
                corpus("MD5 CertID from openssl", OcspResponse.Status.MALFORMED_REQUEST, () -> opensslMd5),
                corpus("SHA-224 CertID", OcspResponse.Status.MALFORMED_REQUEST, () -> OcspRequests.request(
                        OcspRequests.certId(NISTObjectIdentifiers.id_sha224, "SHA-224", pki.intermediate(), serial()))),
                corpus("unregistered hash algorithm OID", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> OcspRequests.request(new CertID(new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.3.4")),
                                new DEROctetString(new byte[20]), new DEROctetString(new byte[20]),
                                new org.bouncycastle.asn1.ASN1Integer(serial())))),
                corpus("hash algorithm with parameters", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> OcspRequests.request(OcspRequests.certId(new AlgorithmIdentifier(OcspRequests.SHA1,
                                new DEROctetString(new byte[2])), "SHA-1", pki.intermediate(), pki.intermediate(), serial()))),
                corpus("SHA-1 without NULL parameters", OcspResponse.Status.SUCCESSFUL,
                        () -> OcspRequests.request(OcspRequests.certId(new AlgorithmIdentifier(OcspRequests.SHA1),
                                "SHA-1", pki.intermediate(), pki.intermediate(), serial()))),
                corpus("another CA's certificate, from openssl", OcspResponse.Status.UNAUTHORIZED, () -> opensslOtherCa),
                corpus("our name hash with another CA's key hash", OcspResponse.Status.UNAUTHORIZED,
                        () -> OcspRequests.request(OcspRequests.certId(new AlgorithmIdentifier(OcspRequests.SHA1,
                                DERNull.INSTANCE), "SHA-1", pki.intermediate(), other.intermediate(), serial()))),
                corpus("the root as issuer", OcspResponse.Status.UNAUTHORIZED,
                        () -> OcspRequests.request(OcspRequests.certId(OcspRequests.SHA1, "SHA-1", pki.root(), serial()))),
                corpus("hashes of the wrong length", OcspResponse.Status.UNAUTHORIZED,
                        () -> OcspRequests.request(new CertID(new AlgorithmIdentifier(OcspRequests.SHA1, DERNull.INSTANCE),
                                new DEROctetString(new byte[5]), new DEROctetString(new byte[5]),
                                new org.bouncycastle.asn1.ASN1Integer(serial())))),
                corpus("nonce of 33 octets", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> OcspRequests.request(sha1(serial()), OcspRequests.nonce(new byte[33]))),
                corpus("empty nonce", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> OcspRequests.request(sha1(serial()), OcspRequests.nonce(new byte[0]))),
                corpus("nonce of 32 octets", OcspResponse.Status.SUCCESSFUL,
                        () -> OcspRequests.request(sha1(serial()), OcspRequests.nonce(new byte[32]))),
                corpus("unknown critical request extension", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> OcspRequests.request(sha1(serial()), new Extension(new ASN1ObjectIdentifier("1.2.3.4.5"),
                                true, new DEROctetString(new byte[] {5, 0})))),
                corpus("unknown non-critical request extension", OcspResponse.Status.SUCCESSFUL,
                        () -> OcspRequests.request(sha1(serial()), new Extension(new ASN1ObjectIdentifier("1.2.3.4.5"),
                                false, new DEROctetString(new byte[] {5, 0})))),
                corpus("serial zero", OcspResponse.Status.SUCCESSFUL,
                        () -> OcspRequests.request(sha1(BigInteger.ZERO))),
                corpus("negative serial", OcspResponse.Status.SUCCESSFUL,
                        () -> OcspRequests.request(sha1(BigInteger.valueOf(-5)))),
                corpus("serial of 40 octets", OcspResponse.Status.SUCCESSFUL,
                        () -> OcspRequests.request(sha1(BigInteger.ONE.shiftLeft(319)))),
                corpus("storage failing", OcspResponse.Status.TRY_LATER,
                        () -> OcspRequests.request(sha1(BigInteger.valueOf(0xdead)))),
                corpus("signed request (signature ignored)", OcspResponse.Status.SUCCESSFUL, () -> {
                    var signature = new DERSequence(new ASN1Encodable[] {
                            new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.10045.4.3.2")),
                            new DERBitString(new byte[8])});
                    var outer = org.bouncycastle.asn1.ASN1Sequence.getInstance(OcspRequests.request(sha1(serial())));
                    return new DERSequence(new ASN1Encodable[] {outer.getObjectAt(0),
                            new DERTaggedObject(true, 0, signature)}).getEncoded();
                }),
                corpus("a certificate instead of a request", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> leaf.getEncoded()),
                corpus("a response instead of a request", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> responder.respond(opensslRequest).der()),
                corpus("indefinite nesting of sequences", OcspResponse.Status.MALFORMED_REQUEST, () -> {
                    byte[] b = new byte[OcspResponder.MAX_REQUEST_BYTES];
                    for (int i = 0; i < b.length; i += 2) {
                        b[i] = 0x30;
                        b[i + 1] = (byte) 0x80;
                    }
                    return b;
                }),
                corpus("definite nesting of sequences", OcspResponse.Status.MALFORMED_REQUEST, () -> {
                    int depth = 12_000;
                    byte[] b = new byte[depth * 5];
                    for (int i = 0; i < depth; i++) {
                        int remaining = b.length - (i + 1) * 5;
                        b[i * 5] = 0x30;
                        b[i * 5 + 1] = (byte) 0x83;
                        b[i * 5 + 2] = (byte) (remaining >>> 16);
                        b[i * 5 + 3] = (byte) (remaining >>> 8);
                        b[i * 5 + 4] = (byte) remaining;
                    }
                    return b;
                }),
                corpus("length field claiming 2 GiB", OcspResponse.Status.MALFORMED_REQUEST,
                        () -> HexFormat.of().parseHex("30847fffffff3000")),
                corpus("a valid request from openssl", OcspResponse.Status.SUCCESSFUL, () -> opensslRequest));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void everyRequestGetsItsExactStatusAndNothingThrows(String name, OcspResponse.Status expected, Bytes request)
            throws Exception {
        byte[] body = request.get();

        OcspResponse response = responder.respond(body);

        assertThat(response.status()).as(name).isEqualTo(expected);
        if (expected != OcspResponse.Status.SUCCESSFUL) {
            assertThat(response.der()).as("a bare status response")
                    .isEqualTo(new byte[] {0x30, 0x03, 0x0a, 0x01, (byte) expected.code()});
            assertThat(response.cacheable()).isFalse();
            assertThat(response.nextUpdate()).isEmpty();
        }
    }

    @Test
    void everyTruncationOfARealRequestIsMalformed() {
        for (int length = 1; length < opensslRequest.length; length++) {
            OcspResponse response = responder.respond(Arrays.copyOf(opensslRequest, length));

            assertThat(response.status()).as("first %d of %d bytes", length, opensslRequest.length)
                    .isEqualTo(OcspResponse.Status.MALFORMED_REQUEST);
        }
    }

    @Test
    void everySingleBitFlipOfARealRequestIsAnsweredWithoutThrowing() {
        for (int bit = 0; bit < opensslRequest.length * 8; bit++) {
            byte[] flipped = opensslRequest.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));

            OcspResponse response = responder.respond(flipped);

            assertThat(response.status()).as("bit %d", bit).isIn(OcspResponse.Status.MALFORMED_REQUEST,
                    OcspResponse.Status.UNAUTHORIZED, OcspResponse.Status.SUCCESSFUL);
        }
    }

    @Test
    void theSerialsOfOddRequestsAreReportedUnknown() throws Exception {
        OcspResponse response = responder.respond(OcspRequests.request(sha1(BigInteger.ZERO)));

        assertThat(response.certificateStatus()).containsInstanceOf(RevocationStatus.Unknown.class);
    }

    @Test
    void anyRuntimeFailureOfTheLookupIsAnInternalError() throws Exception {
        OcspResponder broken = OcspResponder.forCa(pki.intermediate(),
                OcspSignerRotation.start(pki.ca, OcspSignerRotation.Settings.DEFAULT, Clock.systemUTC()),
                (issuer, serial) -> {
                    throw new IllegalStateException("bug");
                }, Clock.systemUTC(), Duration.ofHours(1));

        assertThat(broken.respond(opensslRequest).status()).isEqualTo(OcspResponse.Status.INTERNAL_ERROR);
    }

    @Test
    void anOpensslRequestIsRecognisedAsMalformedWhenWrappedInAnExtraSequence() throws Exception {
        byte[] wrapped = new DERSequence(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(opensslRequest)).getEncoded();

        assertThat(responder.respond(wrapped).status()).isEqualTo(OcspResponse.Status.MALFORMED_REQUEST);
    }
}
