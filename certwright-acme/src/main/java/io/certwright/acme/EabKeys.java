package io.certwright.acme;

import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.EabKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// Creates, lists and deletes external account binding keys (RFC 8555 section 7.3.4), for the command line
/// and the admin API. A key admits one account of one provisioner; its MAC key is shown once, at creation.
public final class EabKeys {

    /// Bytes of a MAC key: 256 bits, as HS256 wants.
    public static final int KEY_BYTES = 32;
    private static final int KEY_ID_BYTES = 12;

    private final AcmeStore store;
    private final Clock clock;
    private final SecureRandom random;

    /// EAB keys kept in `store`.
    public EabKeys(AcmeStore store, Clock clock, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /// Creates a key for `provisioner`: a random key id and a random 256-bit MAC key.
    public EabCredentials create(String provisioner) throws AcmeStoreException {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        byte[] id = new byte[KEY_ID_BYTES];
        random.nextBytes(id);
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        String keyId = "eab-" + b64.encodeToString(id);
        store.createEabKey(new EabKey(keyId, provisioner, key, clock.instant(), Optional.empty()));
        return new EabCredentials(keyId, b64.encodeToString(key));
    }

    /// The keys of a provisioner (all of them when empty), oldest first.
    public List<EabKey> list(Optional<String> provisioner) throws AcmeStoreException {
        return store.eabKeys(provisioner);
    }

    /// Deletes a key; false when there was none. An account already bound keeps working.
    public boolean delete(String keyId) throws AcmeStoreException {
        return store.deleteEabKey(keyId);
    }
}
