package io.certwright.server;

import java.util.Locale;

/// How the server writes its log: human-readable lines, or one JSON object per line for log pipelines.
public enum LogFormat {
    /// `HH:mm:ss.SSS LEVEL logger - message`, one event per line.
    TEXT,
    /// JSON Lines: one object per event with timestamp, level, thread, logger and formatted message.
    JSON;

    /// The configuration value, `text` or `json`.
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /// Parses `text` or `json` (any case).
    ///
    /// @throws IllegalArgumentException for anything else
    public static LogFormat parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("expected text or json, got '" + text + "'");
        };
    }
}
