package io.certwright.inventory.discovery;

import java.util.Locale;
import java.util.Optional;

/// How a connection reaches TLS: directly, or after a protocol's own upgrade request.
public enum Starttls {
    /// TLS from the first byte (HTTPS, SMTPS, LDAPS and the like).
    NONE("tls", 443),
    /// SMTP: greeting, `EHLO`, `STARTTLS` (RFC 3207), then TLS.
    SMTP("smtp", 25),
    /// PostgreSQL: an `SSLRequest` message answered with `S`, then TLS.
    POSTGRES("postgres", 5432);

    private final String scheme;
    private final int defaultPort;

    Starttls(String scheme, int defaultPort) {
        this.scheme = scheme;
        this.defaultPort = defaultPort;
    }

    /// The scheme written before a target, as in `smtp://mail.example.com:25`.
    public String scheme() {
        return scheme;
    }

    /// The port used when a target of this scheme names none and no port list applies.
    public int defaultPort() {
        return defaultPort;
    }

    /// The mode for a scheme (`tls`, `smtp`, `postgres`, also `postgresql`), case-insensitively.
    public static Optional<Starttls> ofScheme(String scheme) {
        String s = scheme.toLowerCase(Locale.ROOT);
        for (Starttls t : values()) {
            if (t.scheme.equals(s)) {
                return Optional.of(t);
            }
        }
        return s.equals("postgresql") ? Optional.of(POSTGRES) : Optional.empty();
    }

    @Override
    public String toString() {
        return scheme;
    }
}
