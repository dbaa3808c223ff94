package io.certwright.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// A minimal JSON writer for `--json` output: objects keep insertion order; values are strings, numbers,
/// booleans, nested [Json.Obj] or lists. Output is indented by two spaces and ends without a newline.
final class Json {

    private Json() {
    }

    /// A JSON object under construction.
    static final class Obj {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        Obj put(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        Obj put(String key, java.util.Optional<?> value) {
            value.ifPresent(v -> fields.put(key, v));
            return this;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            write(b, this, 0);
            return b.toString();
        }
    }

    static Obj object() {
        return new Obj();
    }

    static List<Object> array(List<?> items) {
        return new ArrayList<>(items);
    }

    private static void write(StringBuilder b, Object value, int depth) {
        switch (value) {
            case Obj o -> {
                if (o.fields.isEmpty()) {
                    b.append("{}");
                    return;
                }
                b.append("{\n");
                int i = 0;
                for (Map.Entry<String, Object> e : o.fields.entrySet()) {
                    indent(b, depth + 1);
                    string(b, e.getKey());
                    b.append(": ");
                    write(b, e.getValue(), depth + 1);
                    b.append(++i < o.fields.size() ? ",\n" : "\n");
                }
                indent(b, depth);
                b.append('}');
            }
            case List<?> list -> {
                if (list.isEmpty()) {
                    b.append("[]");
                    return;
                }
                b.append("[\n");
                for (int i = 0; i < list.size(); i++) {
                    indent(b, depth + 1);
                    write(b, list.get(i), depth + 1);
                    b.append(i + 1 < list.size() ? ",\n" : "\n");
                }
                indent(b, depth);
                b.append(']');
            }
            case Boolean bool -> b.append(bool.booleanValue());
            case Integer n -> b.append(n.intValue());
            case Long n -> b.append(n.longValue());
            default -> string(b, value.toString());
        }
    }

    private static void indent(StringBuilder b, int depth) {
        b.append("  ".repeat(depth));
    }

    /// A JSON string literal per RFC 8259: quotes, backslashes and control characters escaped; U+2028 and
    /// U+2029 escaped too, so the output is also valid JavaScript.
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder();
        string(b, s);
        return b.toString();
    }
}
