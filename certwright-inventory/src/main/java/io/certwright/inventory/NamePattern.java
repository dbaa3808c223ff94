package io.certwright.inventory;

import java.util.Locale;
import java.util.Objects;

/// A glob over names: `*` matches any run of characters within one segment, `**` any run of characters
/// across segments, every other character itself. Matching is case-insensitive for DNS names and hosts and
/// exact for SPIFFE IDs.
///
/// Segments end at `.` for DNS names (`*.payments.example.com`), at `/` for SPIFFE IDs
/// (`spiffe://example.org/ns/payments/**`) and at `:` or `.` for endpoints (`*.internal:443`, `10.0.*.*:*`).
///
/// @param glob the pattern as written
/// @param separators the characters a single `*` does not cross
/// @param ignoreCase whether letters match regardless of case
public record NamePattern(String glob, String separators, boolean ignoreCase) {

    /// Longest pattern accepted.
    public static final int MAX_LENGTH = 1024;

    public NamePattern {
        Objects.requireNonNull(glob, "glob");
        Objects.requireNonNull(separators, "separators");
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("pattern is empty");
        }
        if (glob.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("pattern is longer than " + MAX_LENGTH + " characters");
        }
        if (ignoreCase) {
            glob = glob.toLowerCase(Locale.ROOT);
        }
    }

    /// A pattern over DNS names.
    public static NamePattern dns(String glob) {
        return new NamePattern(glob, ".", true);
    }

    /// A pattern over SPIFFE IDs (and other URIs).
    public static NamePattern spiffe(String glob) {
        return new NamePattern(glob, "/", false);
    }

    /// A pattern over endpoints written `host:port`.
    public static NamePattern endpoint(String glob) {
        return new NamePattern(glob, ".:", true);
    }

    /// Whether `text` matches. Runs in time proportional to the product of the lengths at worst, with no
    /// regular expression and no recursion.
    public boolean matches(String text) {
        String t = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
        return match(glob, t);
    }

    // Dynamic programming over (pattern position, text position): reachable[j] says whether the text prefix of
    // length j can be matched by the pattern prefix consumed so far.
    private boolean match(String p, String t) {
        int n = t.length();
        boolean[] reachable = new boolean[n + 1];
        reachable[0] = true;
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            boolean[] next = new boolean[n + 1];
            if (c == '*') {
                boolean crossSegments = i + 1 < p.length() && p.charAt(i + 1) == '*';
                i += crossSegments ? 2 : 1;
                boolean carry = false;
                for (int j = 0; j <= n; j++) {
                    if (reachable[j]) {
                        carry = true;
                    }
                    next[j] = carry;
                    if (j < n && !crossSegments && separators.indexOf(t.charAt(j)) >= 0) {
                        carry = false;
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    next[j + 1] = reachable[j] && t.charAt(j) == c;
                }
                i++;
            }
            reachable = next;
        }
        return reachable[n];
    }

    @Override
    public String toString() {
        return glob;
    }
}
