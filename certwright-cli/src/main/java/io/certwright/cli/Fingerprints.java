package io.certwright.cli;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/// SHA-256 certificate fingerprints as people copy them: with or without colons (or spaces), in any case,
/// optionally prefixed with `SHA256:`.
final class Fingerprints {

    private Fingerprints() {
    }

    /// The 64 lowercase hex digits of a fingerprint as typed; refuses anything that is not a SHA-256 fingerprint.
    static String normalize(String typed) throws CliException {
        String s = typed.strip();
        if (s.regionMatches(true, 0, "sha256:", 0, 7)) {
            s = s.substring(7);
        } else if (s.regionMatches(true, 0, "sha-256:", 0, 8)) {
            s = s.substring(8);
        }
        s = s.replaceAll("[:\\s]", "").toLowerCase(Locale.ROOT);
        if (s.length() != 64 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new CliException("'" + typed + "' is not a SHA-256 fingerprint (64 hex digits, colons optional)");
        }
        return s;
    }

    /// Whether `cert`'s SHA-256 fingerprint is `typed`.
    static boolean matches(X509Certificate cert, String typed) throws CliException {
        return normalize(Text.sha256(cert)).equals(normalize(typed));
    }

    /// The certificate among `certs` whose fingerprint is `typed`.
    static Optional<X509Certificate> find(List<X509Certificate> certs, String typed) throws CliException {
        String wanted = normalize(typed);
        for (X509Certificate c : certs) {
            if (normalize(Text.sha256(c)).equals(wanted)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /// `AB:CD:...` for display.
    static String display(String normalized) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(normalized));
    }
}
