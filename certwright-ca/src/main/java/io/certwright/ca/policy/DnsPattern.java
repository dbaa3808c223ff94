package io.certwright.ca.policy;

import java.util.Locale;
import java.util.Objects;

/// A pattern for DNS names in certificates.
///
/// - `api.example.com` matches that name only;
/// - `*.example.com` matches exactly one label in front of `example.com` (`a.example.com`, not `a.b.example.com`);
/// - `**.example.com` matches one or more labels in front of `example.com`;
/// - `**` matches every syntactically valid name.
///
/// Matching ignores ASCII case. Wildcards stand only as whole leftmost labels.
///
/// @param pattern the pattern text, lowercase
public record DnsPattern(String pattern) {

    public DnsPattern {
        Objects.requireNonNull(pattern, "pattern");
        pattern = pattern.toLowerCase(Locale.ROOT);
        String rest = pattern;
        if (rest.equals("**")) {
            rest = "";
        } else if (rest.startsWith("**.")) {
            rest = rest.substring(3);
        } else if (rest.startsWith("*.")) {
            rest = rest.substring(2);
        }
        if (!pattern.equals("**") && !DnsNames.isValidHostname(rest)) {
            throw new IllegalArgumentException("invalid DNS pattern '" + pattern
                    + "': expected a name, '*.' or '**.' followed by a name, or '**'");
        }
    }

    public static DnsPattern parse(String text) {
        return new DnsPattern(text.trim());
    }

    /// Whether `name` is a valid DNS name that this pattern admits. A wildcard name in the certificate
    /// (`*.example.com`) is matched literally, so only a pattern that spells it out, or a `**` pattern, admits it.
    public boolean matches(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!DnsNames.isValidSanName(n)) {
            return false;
        }
        if (pattern.equals("**")) {
            return true;
        }
        if (pattern.startsWith("**.")) {
            String suffix = pattern.substring(2);
            return n.endsWith(suffix) && n.length() > suffix.length();
        }
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            if (!n.endsWith(suffix) || n.length() == suffix.length()) {
                return false;
            }
            String head = n.substring(0, n.length() - suffix.length());
            return head.indexOf('.') < 0;
        }
        return n.equals(pattern);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
