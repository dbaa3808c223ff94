package io.certwright.bench;

import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
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

/// Raw signature speed of one provider, with nothing else around it: the ceiling for issuance, which does
/// one signature (the certificate) and one verification (the CSR's proof of possession) per certificate.
///
/// The message is 512 random bytes, about the size of a leaf's to-be-signed certificate. Keys are generated
/// by the provider under test and `Signature` objects are initialised once per thread, as the CA does.
/// Combinations a provider lacks fail in setup with a message starting `n/a:`. ACCP offers ML-DSA only
/// under the generic name `ML-DSA`, which is what this benchmark asks it for; the CA asks for `ML-DSA-65`
/// and so signs ML-DSA with the JDK.
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Threads(1)
@SuppressWarnings("NullAway.Init") // JMH sets the fields in @Setup before any @Benchmark call
public class RawSignVerifyBenchmark {

    static final int MESSAGE_BYTES = 512;

    /// Key type, a [KeyAlgorithm] constant name.
    @Param({"P256", "ED25519", "RSA2048", "MLDSA65"})
    public String keyType;

    /// Provider: `ACCP`, `BC` or `JDK` (see [BenchProviders.Choice]).
    @Param({"ACCP", "BC", "JDK"})
    public String provider;

    private final byte[] message = new byte[MESSAGE_BYTES];
    private Signature signer;
    private Signature verifier;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        KeyAlgorithm algorithm = KeyAlgorithm.valueOf(keyType);
        BenchProviders.Signer s = BenchProviders.resolve(BenchProviders.choice(provider), algorithm);
        Provider p = s.provider();
        SecureRandom random = new SecureRandom();
        random.nextBytes(message);
        KeyPair pair = BenchProviders.keyPair(algorithm, p, random);
        signer = Signature.getInstance(s.signatureAlgorithm(), p);
        signer.initSign(pair.getPrivate());
        verifier = Signature.getInstance(s.signatureAlgorithm(), p);
        verifier.initVerify(pair.getPublic());
        signAndVerify();
    }

    /// One signature and one verification of it: the crypto work of one issuance.
    @Benchmark
    public boolean signAndVerify() throws GeneralSecurityException {
        signer.update(message);
        byte[] signature = signer.sign();
        verifier.update(message);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException(provider + " " + keyType + ": signature does not verify");
        }
        return true;
    }

    /// One signature only.
    @Benchmark
    public byte[] signOnly() throws GeneralSecurityException {
        signer.update(message);
        return signer.sign();
    }
}
