package io.certwright.acme.validation;

import io.certwright.acme.store.Identifier;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/// The identifiers an ACME provisioner may issue for: DNS name patterns and IP networks. An empty list
/// allows every identifier.
///
/// Patterns:
/// - `example.com`: that name exactly;
/// - `*.svc.cluster.local`: every name below `svc.cluster.local`, at any depth, but not
///   `svc.cluster.local` itself; a wildcard identifier `*.x` is allowed when `x` is the pattern's base name
///   or below it;
/// - `10.0.0.0/8`, `fd00::/8`: every IP address in that network (host bits must be zero);
/// - `10.1.2.3`, `::1`: that one address.
///
/// DNS patterns only ever allow DNS identifiers and networks only IP identifiers. Only the identifier is
/// judged: the addresses a DNS name resolves to are not (a name an allowed pattern matches may point
/// anywhere), which is what a DNS name means; restrict the network the validators can reach if that
/// matters.
public final class AllowedIdentifiers {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    private sealed interface Rule permits ExactName, Below, Network {
        boolean allows(Identifier identifier);
    }

    private record ExactName(String name) implements Rule {
        @Override
        public boolean allows(Identifier identifier) {
            return identifier.type() == Identifier.Type.DNS && identifier.value().equals(name);
        }
    }

    /// Names strictly below `base`, and wildcards whose base name is `base` or below it.
    private record Below(String base) implements Rule {
        @Override
        public boolean allows(Identifier identifier) {
            if (identifier.type() != Identifier.Type.DNS) {
                return false;
            }
            String value = identifier.value();
            if (identifier.isWildcard()) {
                String wildcardBase = value.substring(2);
                return wildcardBase.equals(base) || wildcardBase.endsWith("." + base);
            }
            return value.endsWith("." + base);
        }
    }

    private static final class Network implements Rule {

        private final byte[] address;
        private final int prefix;

        Network(byte[] address, int prefix) {
            this.address = address.clone();
            this.prefix = prefix;
        }

        @Override
        public boolean allows(Identifier identifier) {
            if (identifier.type() != Identifier.Type.IP) {
                return false;
            }
            InetAddress candidate;
            try {
                candidate = InetAddress.ofLiteral(identifier.value());
            } catch (IllegalArgumentException e) {
                return false;
            }
            return contains(address, prefix, candidate.getAddress());
        }
    }

    private static final AllowedIdentifiers ANY = new AllowedIdentifiers(List.of(), List.of());

    private final List<String> patterns;
    private final List<Rule> rules;

    private AllowedIdentifiers(List<String> patterns, List<Rule> rules) {
        this.patterns = patterns;
        this.rules = rules;
    }

    /// Every identifier allowed.
    public static AllowedIdentifiers any() {
        return ANY;
    }

    /// The identifiers `patterns` allow; no pattern allows every identifier.
    ///
    /// @throws IllegalArgumentException naming the first pattern that is neither a DNS name, a `*.` suffix
    ///     pattern, an IP address nor a network
    public static AllowedIdentifiers of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>(patterns.size());
        List<String> kept = new ArrayList<>(patterns.size());
        for (String raw : patterns) {
            String pattern = raw.strip().toLowerCase(Locale.ROOT);
            rules.add(parse(pattern));
            kept.add(pattern);
        }
        return new AllowedIdentifiers(List.copyOf(kept), List.copyOf(rules));
    }

    /// The patterns, as given (trimmed and lower-cased).
    public List<String> patterns() {
        return patterns;
    }

    /// Why `identifier` is not allowed, for a `rejectedIdentifier` problem; empty when it is allowed.
    public Optional<String> refusal(Identifier identifier) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        for (Rule rule : rules) {
            if (rule.allows(identifier)) {
                return Optional.empty();
            }
        }
        String kind = identifier.type() == Identifier.Type.DNS ? "the name " : "the IP address ";
        return Optional.of(kind + identifier.value() + " is not among the identifiers this ACME provisioner may "
                + "issue certificates for");
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "AllowedIdentifiers[any]" : "AllowedIdentifiers" + patterns;
    }

    private static Rule parse(String pattern) {
        int slash = pattern.indexOf('/');
        if (slash >= 0) {
            return network(pattern, pattern.substring(0, slash), pattern.substring(slash + 1));
        }
        if (pattern.indexOf(':') >= 0 || pattern.matches("[0-9.]+")) {
            InetAddress a = address(pattern, pattern);
            return new Network(a.getAddress(), a.getAddress().length * 8);
        }
        if (pattern.startsWith("*.")) {
            return new Below(dnsName(pattern, pattern.substring(2)));
        }
        return new ExactName(dnsName(pattern, pattern));
    }

    private static Network network(String pattern, String addressText, String prefixText) {
        InetAddress a = address(pattern, addressText);
        int bits = a.getAddress().length * 8;
        if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(pattern, "the prefix length must be a number");
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix > bits) {
            throw bad(pattern, "the prefix length must be at most " + bits);
        }
        byte[] bytes = a.getAddress();
        for (int i = 0; i < bits; i++) {
            if (i >= prefix && (bytes[i / 8] & (0x80 >>> (i % 8))) != 0) {
                throw bad(pattern, "the address has bits set beyond the prefix length");
            }
        }
        return new Network(bytes, prefix);
    }

    private static InetAddress address(String pattern, String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw bad(pattern, "'" + text + "' is not an IP address");
        }
    }

    private static String dnsName(String pattern, String name) {
        if (name.isEmpty() || name.length() > 253) {
            throw bad(pattern, "it is not a DNS name");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw bad(pattern, "it is not a DNS name or a '*.' pattern");
            }
        }
        return name;
    }

    private static IllegalArgumentException bad(String pattern, String why) {
        return new IllegalArgumentException("allowed identifier '" + pattern + "' is invalid: " + why);
    }

    /// Whether `candidate` is in the network of `network`/`prefix`; an IPv4 address is never in an IPv6
    /// network or the other way round.
    static boolean contains(byte[] network, int prefix, byte[] candidate) {
        if (network.length != candidate.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (network[i] != candidate[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network[whole] & mask) == (candidate[whole] & mask);
    }
}
