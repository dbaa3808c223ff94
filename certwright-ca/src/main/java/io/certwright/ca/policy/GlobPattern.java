package io.certwright.ca.policy;

import java.util.Objects;

/// A glob for URIs and email addresses: `*` matches any run of characters except `/` and `@`,
/// `**` matches any run of characters. Everything else matches itself, case-sensitively.
/// Examples: `*@example.com`, `https://*.example.com/**`.
///
/// @param pattern the glob text
public record GlobPattern(String pattern) {

    public GlobPattern {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("empty pattern");
        }
    }

    public static GlobPattern parse(String text) {
        return new GlobPattern(text.trim());
    }

    /// Whether `value` matches the whole pattern.
    public boolean matches(String value) {
        return match(0, value, 0);
    }

    private boolean match(int pi, String v, int vi) {
        while (pi < pattern.length()) {
            char c = pattern.charAt(pi);
            if (c == '*') {
                boolean deep = pi + 1 < pattern.length() && pattern.charAt(pi + 1) == '*';
                int next = pi + (deep ? 2 : 1);
                for (int k = vi; k <= v.length(); k++) {
                    if (match(next, v, k)) {
                        return true;
                    }
                    if (k < v.length() && !deep && (v.charAt(k) == '/' || v.charAt(k) == '@')) {
                        return false;
                    }
                }
                return false;
            }
            if (vi >= v.length() || v.charAt(vi) != c) {
                return false;
            }
            pi++;
            vi++;
        }
        return vi == v.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
