package io.certwright.ca.policy;

/// Syntax of DNS names as certificates carry them ([RFC 5280 §4.2.1.6](https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.6),
/// preferred name syntax of RFC 1034): labels of letters, digits and hyphens, 1 to 63 characters, not starting
/// or ending with a hyphen, at most 253 characters in all. Underscores are refused, as public CAs do.
public final class DnsNames {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private DnsNames() {
    }

    /// Whether `name` is a hostname in preferred name syntax.
    public static boolean isValidHostname(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME || name.endsWith(".")) {
            return false;
        }
        int start = 0;
        while (start <= name.length()) {
            int end = name.indexOf('.', start);
            if (end < 0) {
                end = name.length();
            }
            if (!isValidLabel(name, start, end)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /// Whether `name` may appear as a dNSName SAN: a hostname, optionally with `*.` as the whole leftmost label.
    public static boolean isValidSanName(String name) {
        if (name.startsWith("*.")) {
            String rest = name.substring(2);
            return rest.indexOf('.') > 0 && isValidHostname(rest);
        }
        return isValidHostname(name);
    }

    private static boolean isValidLabel(String s, int from, int to) {
        int len = to - from;
        if (len < 1 || len > MAX_LABEL || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
