package io.certwright.acme;

import java.util.Objects;

/// A new external account binding key as handed to its administrator, once: the key id and the MAC key
/// (base64url, no padding) that the ACME client is configured with. Not a record, so the key never prints.
public final class EabCredentials {

    private final String keyId;
    private final String hmacKey;

    /// Credentials with the given id and base64url key.
    public EabCredentials(String keyId, String hmacKeyBase64Url) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.hmacKey = Objects.requireNonNull(hmacKeyBase64Url, "hmacKeyBase64Url");
    }

    /// The key id, the EAB JWS `kid`.
    public String keyId() {
        return keyId;
    }

    /// The MAC key, base64url without padding; show it once and forget it.
    public String hmacKeyBase64Url() {
        return hmacKey;
    }

    /// Names the key, never its bytes.
    @Override
    public String toString() {
        return "EabCredentials[" + keyId + "]";
    }
}
