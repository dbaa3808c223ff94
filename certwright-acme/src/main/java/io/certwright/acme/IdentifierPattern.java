package io.certwright.acme;

import io.certwright.acme.store.Identifier;
import io.certwright.ca.policy.DnsNames;
import io.certwright.ca.policy.IpRange;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/// One entry of a provisioner's identifier allow-list:
///
/// - `api.example.com` admits that DNS name only;
/// - `*.svc.cluster.local` admits every DNS name below `svc.cluster.local`, at any depth, wildcards included
///   (`a.ns.svc.cluster.local`, `*.ns.svc.cluster.local`), but not `svc.cluster.local` itself;
/// - `10.0.0.0/8` or `fd00::/8` (CIDR) or a single address admits IP identifiers in that range.
///
/// @param text the entry as configured, lower case
public record IdentifierPattern(String text) {

    /// Checks the syntax.
    public IdentifierPattern {
        Objects.requireNonNull(text, "text");
        text = text.strip().toLowerCase(Locale.ROOT);
        if (looksLikeAddress(text) && ipRange(text).isEmpty()) {
            throw new IllegalArgumentException("invalid identifier pattern '" + text
                    + "': not an IP address or CIDR range");
        }
        if (ipRange(text).isEmpty()) {
            String name = text.startsWith("*.") ? text.substring(2) : text;
            if (!DnsNames.isValidHostname(name)) {
                throw new IllegalArgumentException("invalid identifier pattern '" + text
                        + "': expected a DNS name, '*.' followed by a DNS name, or an IP address or CIDR range");
            }
        }
    }

    /// Whether this entry admits `identifier`.
    public boolean matches(Identifier identifier) {
        Optional<IpRange> range = ipRange(text);
        return switch (identifier.type()) {
            case IP -> range.isPresent() && range.get().contains(IpRange.parseLiteral(identifier.value()));
            case DNS -> range.isEmpty() && (text.startsWith("*.")
                    ? identifier.value().endsWith(text.substring(1))
                    : identifier.value().equals(text));
        };
    }

    private static boolean looksLikeAddress(String text) {
        return text.contains("/") || text.contains(":") || text.matches("[0-9.]+");
    }

    private static Optional<IpRange> ipRange(String text) {
        if (!looksLikeAddress(text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(IpRange.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
