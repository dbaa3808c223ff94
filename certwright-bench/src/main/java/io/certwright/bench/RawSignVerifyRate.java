package io.certwright.bench;

import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/// Raw P-256 sign+verify rate in this process, the same operation as
/// [RawSignVerifyBenchmark#signAndVerify]: one signature and one verification of a 512-byte message with
/// `Signature` objects initialised once per thread. A tight loop, warm-up then a measured window, on
/// `threads` platform threads at once, so the rate "on the same cores" as the server can be read off.
final class RawSignVerifyRate {

    private RawSignVerifyRate() {
    }

    /// The provider measured, e.g. `AmazonCorrettoCryptoProvider 2.5.0`.
    static String providerDescription() {
        BenchProviders.Signer s = BenchProviders.resolve(BenchProviders.Choice.ACCP, KeyAlgorithm.P256);
        return s.provider().getName() + " " + s.provider().getVersionStr();
    }

    /// Operations per second summed over `threads` threads.
    ///
    /// @throws UnsupportedOperationException when ACCP does not load on this machine
    static double measure(int threads, Duration warmup, Duration measure)
            throws GeneralSecurityException, InterruptedException {
        BenchProviders.Signer s = BenchProviders.resolve(BenchProviders.Choice.ACCP, KeyAlgorithm.P256);
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        List<Future<Long>> futures = new ArrayList<>();
        try (ExecutorService exec = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                futures.add(exec.submit(() -> loop(s, windowStart, windowEnd)));
            }
        }
        long ops = 0;
        for (Future<Long> f : futures) {
            try {
                ops += f.get();
            } catch (ExecutionException e) {
                throw new GeneralSecurityException("raw sign+verify failed", e.getCause());
            }
        }
        return ops / (measure.toNanos() / 1e9);
    }

    private static long loop(BenchProviders.Signer s, long windowStart, long windowEnd)
            throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] message = new byte[RawSignVerifyBenchmark.MESSAGE_BYTES];
        random.nextBytes(message);
        KeyPair pair = BenchProviders.keyPair(KeyAlgorithm.P256, s.provider(), random);
        Signature signer = Signature.getInstance(s.signatureAlgorithm(), s.provider());
        signer.initSign(pair.getPrivate());
        Signature verifier = Signature.getInstance(s.signatureAlgorithm(), s.provider());
        verifier.initVerify(pair.getPublic());
        long counted = 0;
        long now;
        while ((now = System.nanoTime()) < windowEnd) {
            signer.update(message);
            byte[] signature = signer.sign();
            verifier.update(message);
            if (!verifier.verify(signature)) {
                throw new GeneralSecurityException("P-256 signature does not verify");
            }
            if (now >= windowStart) {
                counted++;
            }
        }
        return counted;
    }
}
