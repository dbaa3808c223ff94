package io.certwright.cli;

import io.certwright.core.SerialNumber;
import java.io.PrintWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/// Formatting shared by the commands: fingerprints, times, durations and aligned label/value lines.
final class Text {

    static final String CHECK = "\u2713";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int LABEL_WIDTH = 22;

    private Text() {
    }

    static String fingerprint(X509Certificate cert, String digest) {
        try {
            byte[] d = MessageDigest.getInstance(digest).digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute " + digest + " fingerprint", e);
        }
    }

    static String sha256(X509Certificate cert) {
        return fingerprint(cert, "SHA-256");
    }

    static String serial(X509Certificate cert) {
        return new SerialNumber(cert.getSerialNumber()).colonHex();
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    /// `2025-01-01 00:00:00 UTC to 2025-01-02 00:00:00 UTC`
    static String validity(X509Certificate cert) {
        return time(cert.getNotBefore().toInstant()) + " to " + time(cert.getNotAfter().toInstant());
    }

    /// `valid, 23h 59m left`, `expired 3d 2h ago`, `not yet valid, starts in 5m`.
    static String status(X509Certificate cert, Instant now) {
        Instant nb = cert.getNotBefore().toInstant();
        Instant na = cert.getNotAfter().toInstant();
        if (now.isBefore(nb)) {
            return "not yet valid, starts in " + human(Duration.between(now, nb));
        }
        if (now.isAfter(na)) {
            return "expired " + human(Duration.between(na, now)) + " ago";
        }
        return "valid, " + human(Duration.between(now, na)) + " left";
    }

    /// The two largest units: `364d 23h`, `23h 59m`, `4m 10s`, `12s`.
    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long[] amounts = {s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < amounts.length; i++) {
            if (amounts[i] > 0) {
                String first = amounts[i] + units[i];
                return i + 1 < amounts.length && amounts[i + 1] > 0 ? first + " " + amounts[i + 1] + units[i + 1] : first;
            }
        }
        return "0s";
    }

    /// `label               value`, further values aligned under the first.
    static void row(PrintWriter out, String indent, String label, List<String> values) {
        String pad = " ".repeat(Math.max(1, LABEL_WIDTH - indent.length() - label.length()));
        if (values.isEmpty()) {
            out.println(indent + label + pad + "(none)");
            return;
        }
        out.println(indent + label + pad + values.getFirst());
        String cont = " ".repeat(indent.length() + label.length() + pad.length());
        for (int i = 1; i < values.size(); i++) {
            out.println(cont + values.get(i));
        }
    }

    static void row(PrintWriter out, String indent, String label, String value) {
        row(out, indent, label, List.of(value));
    }
}
