package io.certwright.bench;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.Issuer;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.revocation.OcspResponder;
import io.certwright.ca.revocation.OcspResponse;
import io.certwright.ca.revocation.OcspSignerRotation;
import io.certwright.ca.revocation.RevocationStatus;
import io.certwright.core.KeyAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/// OCSP answers per second from the responder alone, without HTTP: a kept `good` answer served again
/// (the case the server's OCSP benchmark measures end to end), and a freshly signed answer to a request
/// with a nonce.
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@SuppressWarnings("NullAway.Init") // JMH sets the fields in @Setup before any @Benchmark call
public class OcspResponderBenchmark {

    private OcspResponder responder;
    private byte[] cachedRequest;
    private byte[] nonceRequest;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CryptoProviders.installPreferred();
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        CaMaterial m = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Bench"), clock, random, null);
        var key = JcaSigningKey.of(KeyAlgorithm.P256, m.intermediateKey(), m.intermediate().getPublicKey());
        CertificateAuthority ca = new CertificateAuthority(new Issuer(m.intermediate(), List.of(), key, Optional.empty()),
                List.of(m.root()), CaSettings.defaults(List.of()), new DiscardingLedger(), clock, random);
        X509Certificate leaf = ca.issue(new IssuanceRequest(Profile.SERVER,
                CryptoProviders.generate(KeyAlgorithm.P256).getPublic(), Optional.empty(),
                new SubjectNames(List.of("svc.bench.test"), List.of(), List.of(), List.of()),
                Optional.of(Duration.ofHours(1)))).certificate();
        OcspSignerRotation signer = OcspSignerRotation.start(ca, OcspSignerRotation.Settings.DEFAULT, clock);
        responder = OcspResponder.forCa(m.intermediate(), signer, (issuer, serial) -> RevocationStatus.good(), clock,
                Duration.ofHours(1));
        cachedRequest = request(m.intermediate(), leaf.getSerialNumber(), null);
        nonceRequest = request(m.intermediate(), leaf.getSerialNumber(), new byte[16]);
        if (responder.respond(cachedRequest).status() != OcspResponse.Status.SUCCESSFUL) {
            throw new IllegalStateException("the benchmark request is not answered");
        }
    }

    @Benchmark
    public OcspResponse cachedGood() {
        return responder.respond(cachedRequest);
    }

    @Benchmark
    public OcspResponse signedWithNonce() {
        return responder.respond(nonceRequest);
    }

    /// A SHA-1 single-certificate request, DER, written out by hand so the benchmark needs no ASN.1 library.
    static byte[] request(X509Certificate issuer, BigInteger serial, byte @Nullable [] nonce) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] nameHash = sha1.digest(issuer.getSubjectX500Principal().getEncoded());
        byte[] spki = issuer.getPublicKey().getEncoded();
        // For EC keys the BIT STRING is the last element of the SPKI: 03 42 00 <65 octets>.
        byte[] keyBits = java.util.Arrays.copyOfRange(spki, spki.length - 65, spki.length);
        byte[] keyHash = sha1.digest(keyBits);
        byte[] alg = {0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00};
        byte[] certId = tlv(0x30, concat(alg, tlv(0x04, nameHash), tlv(0x04, keyHash), tlv(0x02, serial.toByteArray())));
        byte[] requestList = tlv(0x30, tlv(0x30, certId));
        byte[] tbs;
        if (nonce == null) {
            tbs = tlv(0x30, requestList);
        } else {
            byte[] nonceOid = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02};
            byte[] extension = tlv(0x30, concat(nonceOid, tlv(0x04, tlv(0x04, nonce))));
            tbs = tlv(0x30, concat(requestList, tlv(0xa2, tlv(0x30, extension))));
        }
        return tlv(0x30, tbs);
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] content) throws IOException {
        if (content.length >= 128) {
            throw new IllegalArgumentException("short lengths only");
        }
        return concat(new byte[] {(byte) tag, (byte) content.length}, content);
    }
}
