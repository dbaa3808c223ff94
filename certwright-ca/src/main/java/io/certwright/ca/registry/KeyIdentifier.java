package io.certwright.ca.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/// A key identifier: the value of a CA certificate's subject key identifier, which the certificates it
/// signs repeat as their authority key identifier
/// ([RFC 5280 §4.2.1.1](https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.1)). The registry uses it to
/// tell which CA key issued a certificate, for CRLs, OCSP and bulk revocation.
///
/// The extensions are read with a small bounds-checked DER reader, so a malformed extension yields no
/// identifier rather than an exception.
///
/// @param hex the identifier in lowercase hex, 1 to [#MAX_OCTETS] octets
public record KeyIdentifier(String hex) {

    /// Longest identifier accepted, in octets; RFC 5280 method 1 gives 20.
    public static final int MAX_OCTETS = 64;

    private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final int OCTET_STRING = 0x04;
    private static final int BIT_STRING = 0x03;
    private static final int SEQUENCE = 0x30;
    private static final int KEY_IDENTIFIER_TAG = 0x80;

    public KeyIdentifier {
        Objects.requireNonNull(hex, "hex");
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.isEmpty() || hex.length() % 2 != 0 || hex.length() > 2 * MAX_OCTETS
                || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("a key identifier is 1 to " + MAX_OCTETS
                    + " octets in hex, not '" + hex + "'");
        }
    }

    /// The identifier with these octets.
    public static KeyIdentifier of(byte[] octets) {
        return new KeyIdentifier(HexFormat.of().formatHex(octets));
    }

    /// Parses hex, upper or lower case, with or without `:` separators.
    public static KeyIdentifier parse(String text) {
        return new KeyIdentifier(text.strip().replace(":", ""));
    }

    /// The identifier's octets.
    public byte[] octets() {
        return HexFormat.of().parseHex(hex);
    }

    /// The `keyIdentifier` of the certificate's authority key identifier extension; empty when the
    /// certificate has none, or it is malformed or carries only issuer name and serial.
    public static Optional<KeyIdentifier> authorityKeyOf(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(AUTHORITY_KEY_IDENTIFIER);
        return ext == null ? Optional.empty() : ofAuthorityKeyExtension(ext);
    }

    /// The `keyIdentifier` inside an authority key identifier extension value, as
    /// [X509Certificate#getExtensionValue] returns it (an OCTET STRING wrapping the SEQUENCE).
    static Optional<KeyIdentifier> ofAuthorityKeyExtension(byte[] ext) {
        return new Der(ext, 0, ext.length).expect(OCTET_STRING).flatMap(o -> o.expect(SEQUENCE))
                .flatMap(seq -> seq.expect(KEY_IDENTIFIER_TAG)).flatMap(KeyIdentifier::ofContents);
    }

    /// The identifier inside a subject key identifier extension value (an OCTET STRING wrapping an
    /// OCTET STRING).
    static Optional<KeyIdentifier> ofSubjectKeyExtension(byte[] ext) {
        return new Der(ext, 0, ext.length).expect(OCTET_STRING).flatMap(o -> o.expect(OCTET_STRING))
                .flatMap(KeyIdentifier::ofContents);
    }

    /// The certificate's subject key identifier extension when present and well formed, else the
    /// identifier RFC 5280 §4.2.1.2 method 1 derives from its public key (SHA-1 of the subjectPublicKey
    /// bits) — what a CA built by Certwright writes into the certificates it signs.
    public static KeyIdentifier subjectKeyOf(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(SUBJECT_KEY_IDENTIFIER);
        if (ext != null) {
            Optional<KeyIdentifier> id = ofSubjectKeyExtension(ext);
            if (id.isPresent()) {
                return id.get();
            }
        }
        byte[] spki = certificate.getPublicKey().getEncoded();
        Optional<Der> bits = new Der(spki, 0, spki.length).expect(SEQUENCE)
                .flatMap(seq -> seq.skip().flatMap(rest -> rest.expect(BIT_STRING)));
        if (bits.isEmpty() || bits.get().length() < 1) {
            throw new IllegalArgumentException("the certificate's public key is not a DER SubjectPublicKeyInfo");
        }
        Der b = bits.get();
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            // Skip the unused-bits octet: method 1 hashes the key bits themselves.
            sha1.update(b.bytes(), b.contentStart() + 1, b.length() - 1);
            return of(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private static Optional<KeyIdentifier> ofContents(Der element) {
        int n = element.length();
        if (n < 1 || n > MAX_OCTETS) {
            return Optional.empty();
        }
        byte[] octets = new byte[n];
        System.arraycopy(element.bytes(), element.contentStart(), octets, 0, n);
        return Optional.of(of(octets));
    }

    @Override
    public String toString() {
        return hex;
    }

    /// A window `[from, to)` of DER bytes whose first element is read on demand; every read checks bounds.
    private static final class Der {
        private final byte[] bytes;
        private final int from;
        private final int to;

        Der(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
        }

        byte[] bytes() {
            return bytes;
        }

        int contentStart() {
            return from;
        }

        int length() {
            return to - from;
        }

        /// The contents of the first element when it has this tag and a definite length that fits.
        Optional<Der> expect(int tag) {
            if (from >= to || (bytes[from] & 0xFF) != tag) {
                return Optional.empty();
            }
            return contentsOfFirst();
        }

        /// The window after the first element.
        Optional<Der> skip() {
            return contentsOfFirst().map(e -> new Der(bytes, e.to, to));
        }

        private Optional<Der> contentsOfFirst() {
            int at = from + 1;
            if (at >= to) {
                return Optional.empty();
            }
            int first = bytes[at] & 0xFF;
            long length;
            int start;
            if (first < 0x80) {
                length = first;
                start = at + 1;
            } else {
                int n = first & 0x7F;
                if (n == 0 || n > 4 || at + n >= to) {
                    return Optional.empty();
                }
                length = 0;
                for (int i = 1; i <= n; i++) {
                    length = (length << 8) | (bytes[at + i] & 0xFF);
                }
                start = at + 1 + n;
            }
            if (start + length > to) {
                return Optional.empty();
            }
            return Optional.of(new Der(bytes, start, (int) (start + length)));
        }
    }
}
