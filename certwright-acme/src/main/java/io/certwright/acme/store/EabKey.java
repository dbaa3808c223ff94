package io.certwright.acme.store;

import java.time.Instant;
import java.util.Optional;

/// An external account binding key (RFC 8555 section 7.3.4), created by an administrator for one ACME
/// provisioner and bound to at most one account.
///
/// @param keyId the key identifier the client puts in the EAB JWS `kid`
/// @param provisioner the ACME provisioner it admits accounts to
/// @param hmacKey the shared MAC key (never logged, never printed after creation)
/// @param createdAt when it was created
/// @param boundAccount the account it was used for, once used
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals and hashCode below
public record EabKey(String keyId, String provisioner, byte[] hmacKey, Instant createdAt,
        Optional<String> boundAccount) {

    /// Copies the key bytes.
    public EabKey {
        hmacKey = hmacKey.clone();
    }

    /// The key bytes (a copy).
    @Override
    public byte[] hmacKey() {
        return hmacKey.clone();
    }

    /// Names the key, never its bytes.
    @Override
    public String toString() {
        return "EabKey[" + keyId + ", provisioner=" + provisioner + ", bound=" + boundAccount.orElse("no") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EabKey k && k.keyId.equals(keyId) && k.provisioner.equals(provisioner)
                && java.util.Arrays.equals(k.hmacKey, hmacKey) && k.createdAt.equals(createdAt)
                && k.boundAccount.equals(boundAccount);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }
}
