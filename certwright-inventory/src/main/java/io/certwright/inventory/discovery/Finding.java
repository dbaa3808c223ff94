package io.certwright.inventory.discovery;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// A certificate chain seen at one place.
///
/// @param place      where it was seen
/// @param chain      the certificates as presented or stored, leaf first; never empty
/// @param leafSha256 the SHA-256 fingerprint of the leaf's DER encoding, 64 lower-case hex digits
/// @param seenAt     when it was seen
/// @param tls        the handshake's details, for TLS endpoints only
public record Finding(Place place, List<X509Certificate> chain, String leafSha256, Instant seenAt,
        Optional<TlsDetails> tls) implements Observation {

    public Finding {
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(seenAt, "seenAt");
        Objects.requireNonNull(tls, "tls");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a finding needs at least one certificate");
        }
        if (!leafSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("leafSha256 must be 64 lower-case hex digits");
        }
    }

    /// A finding whose fingerprint is computed from the chain's first certificate.
    public static Finding of(Place place, List<X509Certificate> chain, Instant seenAt, Optional<TlsDetails> tls) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a finding needs at least one certificate");
        }
        return new Finding(place, chain, sha256(chain.getFirst()), seenAt, tls);
    }

    /// The first certificate of the chain.
    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /// The DER encoding of each certificate, leaf first; fresh arrays on each call.
    public List<byte[]> chainDer() {
        return chain.stream().map(Finding::der).toList();
    }

    /// The leaf's public key type and size.
    public KeyDescription leafKey() {
        return KeyDescription.of(leaf().getPublicKey());
    }

    /// The signature algorithm the leaf was signed with, as the JDK names it (`SHA256withECDSA`).
    public String signatureAlgorithm() {
        return leaf().getSigAlgName();
    }

    /// The SHA-256 fingerprint of `cert` in lower-case hex.
    public static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der(cert)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            // The certificate was decoded from these bytes, so encoding them again cannot fail.
            throw new IllegalStateException("cannot encode a parsed certificate", e);
        }
    }
}
