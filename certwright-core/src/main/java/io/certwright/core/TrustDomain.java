package io.certwright.core;

import java.util.Objects;

/// A SPIFFE trust domain name, such as `example.org`.
///
/// Valid names follow [SPIFFE-ID §2.1](https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md#21-trust-domain):
/// lowercase letters, digits, dots, dashes and underscores only; no port, no user info; at most 255 bytes.
///
/// @param name the trust domain name, already validated
public record TrustDomain(String name) {

    static final String EMPTY = "trust domain is missing";
    static final String BAD_CHAR = "trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores";
    static final String TOO_LONG = "trust domain is longer than 255 bytes";

    /// Largest trust domain name allowed.
    public static final int MAX_LENGTH = 255;

    public TrustDomain {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(EMPTY);
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(TOO_LONG);
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTrustDomainChar(name.charAt(i))) {
                throw new IllegalArgumentException(BAD_CHAR);
            }
        }
    }

    /// Parses a bare trust domain name (`example.org`) or its SPIFFE ID form (`spiffe://example.org`).
    ///
    /// @throws IllegalArgumentException naming the rule the input breaks
    public static TrustDomain parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith(SpiffeId.SCHEME_PREFIX)) {
            SpiffeId id = SpiffeId.parse(text);
            if (!id.path().isEmpty()) {
                throw new IllegalArgumentException("a trust domain has no path: " + text);
            }
            return id.trustDomain();
        }
        return new TrustDomain(text);
    }

    /// The SPIFFE ID of the trust domain itself, `spiffe://<name>`, as used in signing certificates.
    public SpiffeId id() {
        return new SpiffeId(this, "");
    }

    static boolean isTrustDomainChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return name;
    }
}
