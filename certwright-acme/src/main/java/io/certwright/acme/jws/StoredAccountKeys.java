package io.certwright.acme.jws;

import io.certwright.acme.AcmeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/// The parsed keys of stored accounts, by their JWK as stored, so that a request signed with `kid` does not
/// parse its account's JWK and rebuild the public key every time.
///
/// Only JWKs read from the store belong here: they were accepted once already and there are as many as
/// there are active accounts, whereas a `jwk` header comes from anyone. At most [#MAX_KEYS] are kept; past
/// that the memory starts over. Safe for concurrent use.
public final class StoredAccountKeys {

    /// The most keys remembered.
    static final int MAX_KEYS = 4096;

    private final Map<String, AccountKey> keys = new ConcurrentHashMap<>();

    /// The key of the stored JWK `json`.
    ///
    /// @throws AcmeException as [AccountKey#parse] does, for a stored JWK that is not (or no longer) usable
    public AccountKey of(String json) throws AcmeException {
        AccountKey known = keys.get(json);
        if (known != null) {
            return known;
        }
        AccountKey parsed = AccountKey.parse(json);
        if (keys.size() >= MAX_KEYS) {
            keys.clear();
        }
        keys.put(json, parsed);
        return parsed;
    }

    /// How many keys are remembered.
    int size() {
        return keys.size();
    }
}
