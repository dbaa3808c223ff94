package io.certwright.bench;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.Csrs;
import io.certwright.ca.Issuer;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/// Certificates issued per second by one [CertificateAuthority], end to end from CSR bytes to certificate
/// bytes: CSR parse, proof-of-possession verification, key/name/lifetime policy, TBS build, lint,
/// signature and DER encoding.
///
/// The CA, the leaf key and the CSRs all use the benchmarked key type; the CA prefers ACCP as it does in
/// production. The ledger records nothing (see [DiscardingLedger]): ledger stores are benchmarked
/// separately, and a durable store would measure the disk, not the authority.
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@SuppressWarnings("NullAway.Init") // JMH sets the fields in @Setup before any @Benchmark call
public class IssuanceBenchmark {

    static final TrustDomain TRUST_DOMAIN = TrustDomain.parse("bench.test");
    static final String SPIFFE_ID = "spiffe://bench.test/ns/bench/sa/svc";
    static final String SERVER_NAME = "svc.bench.test";
    static final Optional<Duration> LIFETIME = Optional.of(Duration.ofHours(1));
    static final String PROVIDER_LINE_PREFIX = "certwright-bench: issuing provider ";

    /// Key type of the CA and of the leaf, a [KeyAlgorithm] constant name.
    @Param({"P256", "ED25519", "RSA2048", "MLDSA65"})
    public String keyType;

    private CertificateAuthority ca;
    private byte[] svidCsr;
    private byte[] serverCsr;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CryptoProviders.installPreferred();
        KeyAlgorithm algorithm = KeyAlgorithm.valueOf(keyType);
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        CaSpec spec = CaSpec.of(algorithm, "Bench").withTrustDomain(TRUST_DOMAIN, true);
        CaMaterial material = CaBootstrap.create(spec, clock, random, null);
        SigningKey issuingKey = JcaSigningKey.of(algorithm, material.intermediateKey(),
                material.intermediate().getPublicKey());
        Issuer issuer = new Issuer(material.intermediate(), List.of(), issuingKey, Optional.of(TRUST_DOMAIN));
        ca = new CertificateAuthority(issuer, List.of(material.root()), CaSettings.defaults(List.of(TRUST_DOMAIN)),
                new DiscardingLedger(), clock, random);

        KeyPair leaf = CryptoProviders.generate(algorithm);
        SigningKey leafKey = JcaSigningKey.of(algorithm, leaf.getPrivate(), leaf.getPublic());
        svidCsr = Csrs.create(leafKey, SubjectNames.ofSpiffeId(SpiffeId.parse(SPIFFE_ID)), Optional.empty());
        serverCsr = Csrs.create(leafKey, new SubjectNames(List.of(SERVER_NAME), List.of(), List.of(), List.of()),
                Optional.of(SERVER_NAME));

        // Fail the trial at once, with the CA's own message, if either request would be refused.
        ca.sign(svidCsr, Profile.SVID, LIFETIME);
        ca.sign(serverCsr, Profile.SERVER, LIFETIME);
        // run.sh reads this line to know which provider's raw speed issuance is compared with.
        System.out.println(PROVIDER_LINE_PREFIX + keyType + " " + issuingKey.providerName());
    }

    /// One SVID per call, one thread: the headline issuance rate.
    @Benchmark
    @Threads(1)
    public byte[] svidOneThread() throws Exception {
        return ca.sign(svidCsr, Profile.SVID, LIFETIME).certificate().getEncoded();
    }

    /// One SVID per call, two threads sharing the CA: how issuance scales on this 2-core class of machine.
    @Benchmark
    @Threads(2)
    public byte[] svidTwoThreads() throws Exception {
        return ca.sign(svidCsr, Profile.SVID, LIFETIME).certificate().getEncoded();
    }

    /// One TLS server certificate per call, one thread: DNS names and a common name instead of a SPIFFE ID.
    @Benchmark
    @Threads(1)
    public byte[] serverOneThread() throws Exception {
        return ca.sign(serverCsr, Profile.SERVER, LIFETIME).certificate().getEncoded();
    }
}
