package io.certwright.inventory.discovery;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/// Matches a host name or IP address against a certificate's subject alternative names (RFC 6125): DNS
/// names case-insensitively with a wildcard allowed as the whole leftmost label, IP addresses by value.
/// The common name is not consulted.
final class NameMatcher {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private NameMatcher() {
    }

    static HostnameMatch match(X509Certificate leaf, String name) {
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return HostnameMatch.MISMATCH;
        }
        if (sans == null) {
            return HostnameMatch.MISMATCH;
        }
        boolean ip = Targets.isIpLiteral(name);
        InetAddress wanted = null;
        if (ip) {
            try {
                wanted = InetAddress.ofLiteral(name);
            } catch (IllegalArgumentException e) {
                return HostnameMatch.MISMATCH;
            }
        }
        for (List<?> san : sans) {
            if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) {
                continue;
            }
            if (ip && type == IP_ADDRESS) {
                try {
                    if (InetAddress.ofLiteral(value).equals(wanted)) {
                        return HostnameMatch.MATCH;
                    }
                } catch (IllegalArgumentException e) {
                    // an unparsable IP name matches nothing
                }
            } else if (!ip && type == DNS_NAME && dnsMatches(value, name)) {
                return HostnameMatch.MATCH;
            }
        }
        return HostnameMatch.MISMATCH;
    }

    static boolean dnsMatches(String pattern, String host) {
        String p = normalise(pattern);
        String h = normalise(host);
        if (p.isEmpty() || h.isEmpty()) {
            return false;
        }
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && p.indexOf('*', 1) < 0 && p.substring(1).equals(h.substring(dot));
        }
        return p.indexOf('*') < 0 && p.equals(h);
    }

    private static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
