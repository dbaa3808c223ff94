package io.certwright.inventory.text;

import java.util.ArrayDeque;
import java.util.Deque;

/// A small streaming JSON writer producing compact JSON ([RFC 8259](https://www.rfc-editor.org/rfc/rfc8259)).
/// Strings are escaped completely (quotes, backslashes, control characters, and `<`, `>`, `&`, U+2028 and U+2029
/// as escapes, so the output is also safe inside HTML). Commas are placed automatically.
///
/// ```java
/// String json = new JsonWriter().beginObject().name("status").value("ok").endObject().toString();
/// ```
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    // One entry per open container: true once it holds a member, so the next one needs a comma.
    private final Deque<Boolean> hasMember = new ArrayDeque<>();
    private boolean afterName;

    /// Opens an object.
    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        hasMember.push(false);
        return this;
    }

    /// Closes the innermost object.
    public JsonWriter endObject() {
        close('}');
        return this;
    }

    /// Opens an array.
    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        hasMember.push(false);
        return this;
    }

    /// Closes the innermost array.
    public JsonWriter endArray() {
        close(']');
        return this;
    }

    /// Writes a member name; a value must follow.
    public JsonWriter name(String name) {
        if (afterName || hasMember.isEmpty()) {
            throw new IllegalStateException("a name must be inside an object and follow a value");
        }
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /// Writes a string value.
    public JsonWriter value(String value) {
        beforeValue();
        string(value);
        return this;
    }

    /// Writes a number.
    public JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /// Writes a boolean.
    public JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /// Writes `null`.
    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /// The JSON written so far.
    @Override
    public String toString() {
        return out.toString();
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!hasMember.isEmpty()) {
            separate();
        }
    }

    private void separate() {
        if (hasMember.pop()) {
            out.append(',');
        }
        hasMember.push(true);
    }

    private void close(char c) {
        if (hasMember.isEmpty() || afterName) {
            throw new IllegalStateException("nothing to close");
        }
        hasMember.pop();
        out.append(c);
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029'
                            || (Character.isSurrogate(c) && !validSurrogateAt(s, i))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // A lone surrogate is not valid UTF-16; escaping it keeps the output encodable as UTF-8.
    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
