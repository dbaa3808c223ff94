package io.certwright.acme;

import io.certwright.acme.store.Identifier;
import io.certwright.ca.policy.DnsNames;
import io.certwright.ca.policy.IpRange;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/// The syntax of order identifiers: DNS names (RFC 8555 section 7.1.4, letters, digits and hyphens, a
/// wildcard only as the whole leftmost label) and IP addresses (RFC 8738, kept in canonical text: dotted
/// quad, or RFC 5952 for IPv6).
public final class Identifiers {

    private static final Pattern LOOKS_LIKE_IPV4 = Pattern.compile("[0-9.]+");

    private Identifiers() {
    }

    /// Checks an identifier a client sent and returns it in canonical form.
    ///
    /// @throws AcmeException `unsupportedIdentifier` for types other than `dns` and `ip`,
    ///     `rejectedIdentifier` for values that are not a valid name or address of that type
    public static Identifier parse(String type, String value) throws AcmeException {
        Identifier.Type t = Identifier.Type.fromWire(type);
        if (t == null) {
            throw AcmeException.of(AcmeProblemType.UNSUPPORTED_IDENTIFIER,
                    "identifier type '" + printable(type) + "' is not supported; use dns or ip");
        }
        if (value.isEmpty()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "an identifier value must not be empty");
        }
        return switch (t) {
            case DNS -> dns(value);
            case IP -> ip(value);
        };
    }

    private static Identifier dns(String value) throws AcmeException {
        String name = value.toLowerCase(Locale.ROOT);
        if (LOOKS_LIKE_IPV4.matcher(name).matches() || name.contains(":")) {
            throw rejected(value, "is an IP address; use an identifier of type ip");
        }
        if (name.contains("*") && !name.startsWith("*.")) {
            throw rejected(value, "has a wildcard that is not the whole leftmost label");
        }
        if (!DnsNames.isValidSanName(name)) {
            throw rejected(value, "is not a valid DNS name (letters, digits and hyphens; labels of 1 to 63 "
                    + "characters; a wildcard only as the leftmost label)");
        }
        return Identifier.dns(name);
    }

    private static Identifier ip(String value) throws AcmeException {
        InetAddress address;
        try {
            address = IpRange.parseLiteral(value);
        } catch (IllegalArgumentException e) {
            throw rejected(value, "is not an IPv4 or IPv6 address");
        }
        return Identifier.ip(canonical(address));
    }

    /// The canonical text of an address: dotted quad for IPv4, RFC 5952 for IPv6 (lower case, no leading
    /// zeros, the longest run of two or more zero groups shortened to `::`).
    public static String canonical(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }

    private static AcmeException rejected(String value, String why) {
        return new AcmeException(AcmeProblem.of(AcmeProblemType.REJECTED_IDENTIFIER,
                "'" + printable(value) + "' " + why));
    }

    /// The text cut to a printable length with control characters replaced, for details and audit.
    public static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        StringBuilder s = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> s.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return s.toString();
    }
}
