package io.certwright.ca.workload;

import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/// One of the server's JWT-SVID signing keys: an ES256 (P-256) key pair and its key ID. A class, not a
/// record, so it never prints its private key.
public final class JwtKey {

    private final String kid;
    private final ECPublicKey publicKey;
    private final PrivateKey privateKey;

    JwtKey(String kid, ECPublicKey publicKey, PrivateKey privateKey) {
        this.kid = Objects.requireNonNull(kid, "kid");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    }

    /// The key ID, the `kid` of the JWS header and of the bundle's JWK.
    public String kid() {
        return kid;
    }

    public ECPublicKey publicKey() {
        return publicKey;
    }

    /// The private key, for the JWS signer only.
    public PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "JwtKey[" + kid + "]";
    }
}
