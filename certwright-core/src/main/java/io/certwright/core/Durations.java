package io.certwright.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/// Durations as operators write them: `90d`, `24h`, `30m`, `45s`, combinations such as `1h30m`, or ISO-8601
/// (`PT1H`).
public final class Durations {

    private Durations() {
    }

    /// Parses a duration; refuses zero, negative and malformed values with a message naming the input.
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        if (t.startsWith("p")) {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid duration '" + text + "'", e);
            }
        } else {
            d = parseCompact(text, t);
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("duration must be positive: '" + text + "'");
        }
        return d;
    }

    private static Duration parseCompact(String original, String t) {
        if (t.isEmpty()) {
            throw new IllegalArgumentException("invalid duration '': expected e.g. 90d, 24h, 30m, 45s");
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < t.length()) {
            int start = i;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                i++;
            }
            if (start == i || i == t.length() || i - start > 9) {
                throw new IllegalArgumentException("invalid duration '" + original + "': expected e.g. 90d, 24h, 30m, 45s");
            }
            long n = Long.parseLong(t.substring(start, i));
            char unit = t.charAt(i++);
            total = total.plus(switch (unit) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                case 's' -> Duration.ofSeconds(n);
                default -> throw new IllegalArgumentException("invalid duration '" + original + "': unknown unit '" + unit + "'");
            });
        }
        return total;
    }

    /// The shortest compact form: `90d`, `24h`, `1h30m`.
    public static String format(Duration d) {
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        long days = s / 86_400;
        s %= 86_400;
        long hours = s / 3_600;
        s %= 3_600;
        long minutes = s / 60;
        s %= 60;
        if (days > 0) {
            b.append(days).append('d');
        }
        if (hours > 0) {
            b.append(hours).append('h');
        }
        if (minutes > 0) {
            b.append(minutes).append('m');
        }
        if (s > 0 || b.isEmpty()) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
