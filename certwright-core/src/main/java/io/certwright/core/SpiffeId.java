package io.certwright.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/// A SPIFFE ID: `spiffe://<trust-domain>/<path>`.
///
/// Parsing follows [SPIFFE-ID §2](https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md#2-spiffe-identity):
/// scheme `spiffe` in lowercase, a valid trust domain, no port, user info, query or fragment; path segments of
/// letters, digits, dots, dashes and underscores, none empty, none `.` or `..`, no trailing slash; at most 2048 bytes.
///
/// @param trustDomain the trust domain
/// @param path the path, empty or starting with `/`
public record SpiffeId(TrustDomain trustDomain, String path) {

    /// Scheme and separator every SPIFFE ID starts with.
    public static final String SCHEME_PREFIX = "spiffe://";
    /// Largest SPIFFE ID in bytes, per SPIFFE-ID §2.3.
    public static final int MAX_LENGTH = 2048;

    static final String EMPTY = "cannot be empty";
    static final String WRONG_SCHEME = "scheme is missing or invalid";
    static final String MISSING_TRUST_DOMAIN = "trust domain is missing";
    static final String BAD_PATH_CHAR = "path segment characters are limited to letters, numbers, dots, dashes, and underscores";
    static final String EMPTY_SEGMENT = "path cannot contain empty segments";
    static final String DOT_SEGMENT = "path cannot contain dot segments";
    static final String TRAILING_SLASH = "path cannot have a trailing slash";
    static final String TOO_LONG = "SPIFFE ID is longer than 2048 bytes";

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(path, "path");
        validatePath(path);
        if ((SCHEME_PREFIX + trustDomain.name() + path).getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new IllegalArgumentException(TOO_LONG);
        }
    }

    /// Parses the textual form of a SPIFFE ID.
    ///
    /// @throws IllegalArgumentException with a message naming the rule of the specification that the text breaks
    public static SpiffeId parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException(EMPTY);
        }
        if (!text.startsWith(SCHEME_PREFIX)) {
            throw new IllegalArgumentException(WRONG_SCHEME);
        }
        String rest = text.substring(SCHEME_PREFIX.length());
        int slash = rest.indexOf('/');
        String td = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        if (td.isEmpty()) {
            throw new IllegalArgumentException(MISSING_TRUST_DOMAIN);
        }
        return new SpiffeId(new TrustDomain(td), path);
    }

    /// Whether the text is a valid SPIFFE ID.
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /// The path segments, without slashes; empty for the trust domain's own ID.
    public List<String> segments() {
        return path.isEmpty() ? List.of() : List.of(path.substring(1).split("/", -1));
    }

    /// Whether this ID names a workload (has a non-root path), as leaf SVIDs require.
    public boolean hasPath() {
        return !path.isEmpty();
    }

    private static void validatePath(String path) {
        if (path.isEmpty()) {
            return;
        }
        if (path.charAt(0) != '/') {
            throw new IllegalArgumentException(BAD_PATH_CHAR);
        }
        if (path.endsWith("/")) {
            throw new IllegalArgumentException(TRAILING_SLASH);
        }
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = path.substring(start, end);
            if (segment.isEmpty()) {
                throw new IllegalArgumentException(EMPTY_SEGMENT);
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(DOT_SEGMENT);
            }
            for (int i = 0; i < segment.length(); i++) {
                if (!isPathChar(segment.charAt(i))) {
                    throw new IllegalArgumentException(BAD_PATH_CHAR);
                }
            }
            start = end + 1;
        }
    }

    static boolean isPathChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return SCHEME_PREFIX + trustDomain.name() + path;
    }
}
