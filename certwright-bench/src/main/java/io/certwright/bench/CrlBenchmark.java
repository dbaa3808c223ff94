package io.certwright.bench;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSpec;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.revocation.CertificateRevocationList;
import io.certwright.ca.revocation.CrlEntry;
import io.certwright.ca.revocation.CrlSigner;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/// Time to build and sign one full CRL of the issuing CA, from revocation entries already read from the
/// store to the DER bytes: entry encoding, the TBSCertList, one signature. Revocation times are spread over
/// a month and reasons vary, as in a real CRL; serials are 128-bit random, as the CA assigns them.
///
/// Run with `-prof gc` to see the memory each CRL allocates.
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@SuppressWarnings("NullAway.Init") // JMH sets the fields in @Setup before any @Benchmark call
public class CrlBenchmark {

    /// How many certificates the CRL lists.
    @Param({"1000", "100000"})
    public int entries;

    private CrlSigner signer;
    private List<CrlEntry> revoked;
    private Instant now;
    private long number;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CryptoProviders.installPreferred();
        SecureRandom random = new SecureRandom();
        CaMaterial material = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Bench"), Clock.systemUTC(), random, null);
        signer = new CrlSigner(material.intermediate(), JcaSigningKey.of(KeyAlgorithm.P256, material.intermediateKey(),
                material.intermediate().getPublicKey()));
        now = Instant.now();
        List<RevocationReason> reasons = List.of(RevocationReason.values());
        revoked = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            revoked.add(new CrlEntry(SerialNumber.random(random), now.minusSeconds(random.nextInt(30 * 86_400)),
                    reasons.get(random.nextInt(reasons.size())), now.plus(Duration.ofDays(1))));
        }
    }

    @Benchmark
    public CertificateRevocationList signFullCrl() throws Exception {
        return signer.sign(BigInteger.valueOf(++number), now, now.plus(Duration.ofHours(6)), revoked);
    }
}
