package io.certwright.agent.node;

import java.util.Objects;

/// A property a workload must have for a registration entry to apply to it, such as `unix:uid:1000`.
///
/// @param type the attestor that produces the selector, such as `unix`
/// @param value what it asserts, such as `uid:1000` or `path:/usr/bin/api`
public record Selector(String type, String value) {

    public Selector {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type.isEmpty() || type.indexOf(':') >= 0) {
            throw new IllegalArgumentException("selector type must be non-empty and without ':': " + type);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("selector value must not be empty");
        }
    }

    /// Parses `type:value`; the value may contain further colons (`unix:uid:1000`).
    ///
    /// @throws IllegalArgumentException when there is no type or no value
    public static Selector parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("a selector reads type:value, such as unix:uid:1000: " + text);
        }
        return new Selector(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
