package io.certwright.ca;

import io.certwright.ca.keys.SigningKey;
import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/// A [SigningKey] that counts calls, remembers what it was asked to sign, and fails while [#fail] is set.
final class CountingSigningKey implements SigningKey {

    private final SigningKey delegate;
    private final List<byte[]> signed = new ArrayList<>();
    final AtomicBoolean fail = new AtomicBoolean();

    CountingSigningKey(SigningKey delegate) {
        this.delegate = delegate;
    }

    synchronized int calls() {
        return signed.size();
    }

    synchronized byte[] lastData() {
        return signed.getLast().clone();
    }

    @Override
    public KeyAlgorithm algorithm() {
        return delegate.algorithm();
    }

    @Override
    public PublicKey publicKey() {
        return delegate.publicKey();
    }

    @Override
    public String providerName() {
        return delegate.providerName();
    }

    @Override
    public byte[] sign(byte[] data) throws GeneralSecurityException {
        synchronized (this) {
            signed.add(data.clone());
        }
        if (fail.get()) {
            throw new GeneralSecurityException("signing device unavailable");
        }
        return delegate.sign(data);
    }
}
