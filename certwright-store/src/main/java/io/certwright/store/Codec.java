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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// Conversions between domain values and columns.
final class Codec {

    static final JsonMapper JSON = JsonMapper.builder().build();
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

    static void setOptionalInstant(PreparedStatement ps, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.get().toEpochMilli());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }
}
