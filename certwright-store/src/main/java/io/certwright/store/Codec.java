package io.certwright.store;

import io.certwright.ca.profile.Profile;
import io.certwright.core.SerialNumber;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// Conversions between domain values and columns.
final class Codec {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /// Writes JSON in ASCII only, every other character escaped by its UTF-16 code units: both databases then
    /// keep every string exactly, NUL and unpaired surrogates included.
    static final JsonMapper ASCII_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final char ESCAPE = '\u001b';
    /// Hex digits of the longest serial (20 octets); serials are stored zero-padded to this, so text order
    /// is numeric order.
    private static final int SERIAL_DIGITS = 40;

    private Codec() {
    }

    static String serialKey(SerialNumber serial) {
        String hex = serial.value().toString(16);
        return "0".repeat(SERIAL_DIGITS - hex.length()) + hex;
    }

    static SerialNumber serial(String key) {
        return new SerialNumber(new BigInteger(key, 16));
    }

    /// Any profile by wire name, `root` included (stored records may be CA certificates).
    static Profile profile(String wireName) {
        String n = wireName.toLowerCase(Locale.ROOT).trim();
        for (Profile p : Profile.values()) {
            if (p.wireName().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + wireName + "' in the database");
    }

    static String stringList(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return JSON.writeValueAsString(a);
    }

    static List<String> stringList(String json) throws SQLException {
        return strings(tree(json));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) {
            out.add(e.asString());
        }
        return out;
    }

    static String stringMap(Map<String, String> values) {
        ObjectNode o = JSON.createObjectNode();
        new TreeMap<>(values).forEach(o::put);
        return JSON.writeValueAsString(o);
    }

    static Map<String, String> stringMap(String json) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : tree(json).properties()) {
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    static JsonNode tree(String json) throws SQLException {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw new SQLException("malformed JSON in the database: " + e.getOriginalMessage(), e);
        }
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    static String string(ResultSet rs, String column) throws SQLException {
        String v = rs.getString(column);
        if (v == null) {
            throw new SQLException("column " + column + " is unexpectedly NULL");
        }
        return v;
    }

    /// `value` in a form that both databases store and return exactly. PostgreSQL refuses NUL in text, and
    /// neither database keeps an unpaired surrogate (UTF-8 cannot encode one); those, and the escape
    /// character ESC (U+001B) itself, become two- or six-character sequences starting with ESC. Any other
    /// text is returned unchanged, so stored values stay readable, and equal values map to equal stored
    /// values, so columns can be compared and indexed.
    static String storedText(String value) {
        int n = value.length();
        int i = 0;
        while (i < n && plain(value, i)) {
            i += Character.isHighSurrogate(value.charAt(i)) ? 2 : 1;
        }
        if (i >= n) {
            return value;
        }
        StringBuilder out = new StringBuilder(n + 8).append(value, 0, i);
        while (i < n) {
            char c = value.charAt(i);
            if (plain(value, i)) {
                out.append(c);
                if (Character.isHighSurrogate(c)) {
                    out.append(value.charAt(i + 1));
                    i++;
                }
            } else if (c == ESCAPE) {
                out.append(ESCAPE).append('e');
            } else if (c == 0) {
                out.append(ESCAPE).append('0');
            } else {
                out.append(ESCAPE).append('u').append(HexFormat.of().toHexDigits(c));
            }
            i++;
        }
        return out.toString();
    }

    /// Whether the character at `i` is stored as it is: anything but ESC, NUL and an unpaired surrogate.
    private static boolean plain(String value, int i) {
        char c = value.charAt(i);
        if (c == ESCAPE || c == 0 || Character.isLowSurrogate(c)) {
            return false;
        }
        return !Character.isHighSurrogate(c) || (i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1)));
    }

    /// The text that [#storedText] turned into `stored`.
    ///
    /// @throws SQLException if `stored` holds an escape that [#storedText] does not write
    static String text(String stored) throws SQLException {
        int first = stored.indexOf(ESCAPE);
        if (first < 0) {
            return stored;
        }
        StringBuilder out = new StringBuilder(stored.length()).append(stored, 0, first);
        int i = first;
        int n = stored.length();
        while (i < n) {
            char c = stored.charAt(i);
            if (c != ESCAPE) {
                out.append(c);
                i++;
                continue;
            }
            char kind = i + 1 < n ? stored.charAt(i + 1) : ' ';
            switch (kind) {
                case 'e' -> {
                    out.append(ESCAPE);
                    i += 2;
                }
                case '0' -> {
                    out.append('\u0000');
                    i += 2;
                }
                case 'u' -> {
                    if (i + 6 > n) {
                        throw new SQLException("truncated escape in stored text");
                    }
                    try {
                        out.append((char) HexFormat.fromHexDigits(stored, i + 2, i + 6));
                    } catch (IllegalArgumentException e) {
                        throw new SQLException("malformed escape in stored text", e);
                    }
                    i += 6;
                }
                default -> throw new SQLException("malformed escape in stored text");
            }
        }
        return out.toString();
    }

    /// A free-text column written by [#storedText].
    static String text(ResultSet rs, String column) throws SQLException {
        return text(string(rs, column));
    }

    static void setOptionalInstant(PreparedStatement ps, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.get().toEpochMilli());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }
}
