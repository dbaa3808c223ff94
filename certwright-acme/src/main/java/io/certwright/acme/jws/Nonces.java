package io.certwright.acme.jws;

import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.AcmeStoreException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/// Anti-replay nonces (RFC 8555 section 6.5) that need no storage until used: a nonce is its expiry, 16
/// random bytes and a MAC over both with the secret every replica shares through the store. Any replica
/// checks the MAC and the expiry on its own ([#check]); the store then records the use, in the transaction of
/// the request's change ([io.certwright.acme.store.Effects]), so a nonce is accepted exactly once across all
/// replicas.
public final class Nonces {

    private static final int TIME_BYTES = 8;
    private static final int RANDOM_BYTES = 16;
    private static final int MAC_BYTES = 16;
    private static final int LENGTH = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;

    private final AcmeStore store;
    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random;
    private volatile @Nullable SecretKeySpec key;

    /// Nonces living `lifetime`, with the secret of `store`.
    public Nonces(AcmeStore store, Clock clock, Duration lifetime, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.random = Objects.requireNonNull(random, "random");
    }

    /// A fresh nonce.
    ///
    /// @throws AcmeStoreException when the shared secret cannot be read
    public String next() throws AcmeStoreException {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putLong(clock.instant().plus(lifetime).getEpochSecond());
        byte[] r = new byte[RANDOM_BYTES];
        random.nextBytes(r);
        b.put(r);
        byte[] mac = mac(Arrays.copyOf(b.array(), TIME_BYTES + RANDOM_BYTES));
        b.put(mac, 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /// Checks that `nonce` is one of ours and not expired, without using it.
    ///
    /// @return its expiry
    /// @throws AcmeException `badNonce` otherwise
    public Instant check(String nonce) throws AcmeException, AcmeStoreException {
        byte[] raw;
        try {
            raw = nonce.length() == (LENGTH * 4 + 2) / 3 ? Base64.getUrlDecoder().decode(nonce) : new byte[0];
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != LENGTH || !MessageDigest.isEqual(Arrays.copyOfRange(raw, TIME_BYTES + RANDOM_BYTES, LENGTH),
                Arrays.copyOf(mac(Arrays.copyOf(raw, TIME_BYTES + RANDOM_BYTES)), MAC_BYTES))) {
            throw AcmeException.of(AcmeProblemType.BAD_NONCE, "the nonce was not issued by this server");
        }
        Instant expires = Instant.ofEpochSecond(ByteBuffer.wrap(raw, 0, TIME_BYTES).getLong());
        if (!clock.instant().isBefore(expires)) {
            throw AcmeException.of(AcmeProblemType.BAD_NONCE, "the nonce has expired");
        }
        return expires;
    }

    private byte[] mac(byte[] data) throws AcmeStoreException {
        SecretKeySpec k = key;
        if (k == null) {
            byte[] secret = store.nonceSecret(() -> {
                byte[] s = new byte[32];
                random.nextBytes(s);
                return s;
            });
            k = new SecretKeySpec(secret, "HmacSHA256");
            key = k;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(k);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
