package io.certwright.acme.store;

import java.util.Locale;

/// An ACME identifier (RFC 8555 section 7.1.4): a DNS name, possibly a wildcard, or an IP address
/// (RFC 8738). Values are kept as the client sent them, lower-cased for DNS names.
///
/// @param type `dns` or `ip`
/// @param value the name or the address in its textual form
public record Identifier(Type type, String value) {

    /// The identifier types this server knows.
    public enum Type {
        DNS("dns"),
        IP("ip");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        /// The name on the wire.
        public String wire() {
            return wire;
        }

        /// The type named `wire`, or null when it is not one we serve.
        public static @org.jspecify.annotations.Nullable Type fromWire(String wire) {
            for (Type t : values()) {
                if (t.wire.equals(wire)) {
                    return t;
                }
            }
            return null;
        }
    }

    /// Keeps DNS names lower-case, so that comparisons are exact.
    public Identifier {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an identifier value must not be empty");
        }
        if (type == Type.DNS) {
            value = value.toLowerCase(Locale.ROOT);
        }
    }

    /// A DNS identifier.
    public static Identifier dns(String name) {
        return new Identifier(Type.DNS, name);
    }

    /// An IP identifier.
    public static Identifier ip(String address) {
        return new Identifier(Type.IP, address);
    }

    /// Whether this is a wildcard DNS name (`*.example.com`).
    public boolean isWildcard() {
        return type == Type.DNS && value.startsWith("*.");
    }
}
