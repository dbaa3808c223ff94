package io.certwright.ca.workload;

import java.util.Objects;
import java.util.regex.Pattern;

/// A property a node agent observes of a workload process, written `<type>:<value>`, such as
/// `unix:uid:1000`. A registration entry applies to a workload that shows all of the entry's selectors.
///
/// | selector | value |
/// |---|---|
/// | `unix:uid:<n>` | the process's effective user ID, 0 to 4294967294 |
/// | `unix:gid:<n>` | the process's effective group ID, 0 to 4294967294 |
/// | `unix:user:<name>` | the user name of that ID (POSIX portable: letters, digits, `.`, `_`, `-`, at most 32) |
/// | `unix:path:<path>` | the absolute path of the process's executable |
/// | `unix:sha256:<hex>` | the SHA-256 of the executable, 64 lowercase hex digits |
///
/// @param type the selector type, such as `unix`
/// @param key the key within the type, such as `uid`
/// @param value the value, already validated for the key
public record Selector(String type, String key, String value) {

    /// Longest selector text accepted.
    public static final int MAX_LENGTH = 4096;

    private static final Pattern ID = Pattern.compile("0|[1-9][0-9]{0,9}");
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,31}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Selector {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        check(type, key, value);
    }

    /// Parses `<type>:<key>:<value>`.
    ///
    /// @throws IllegalArgumentException naming what is wrong
    public static Selector parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a selector is at most " + MAX_LENGTH + " characters");
        }
        String[] parts = text.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a selector is written type:key:value, such as unix:uid:1000");
        }
        return new Selector(parts[0], parts[1], parts[2]);
    }

    private static void check(String type, String key, String value) {
        if (!type.equals("unix")) {
            throw new IllegalArgumentException("unknown selector type '" + abbreviate(type) + "'; expected unix");
        }
        switch (key) {
            case "uid", "gid" -> {
                if (!ID.matcher(value).matches() || Long.parseLong(value) > 4_294_967_294L) {
                    throw new IllegalArgumentException("unix:" + key + " needs a decimal ID from 0 to 4294967294");
                }
            }
            case "user" -> {
                if (!USER.matcher(value).matches()) {
                    throw new IllegalArgumentException("unix:user needs a user name of letters, digits, '.', '_' "
                            + "or '-', at most 32 characters, not starting with a digit, '.' or '-'");
                }
            }
            case "path" -> {
                if (!value.startsWith("/") || value.indexOf('\0') >= 0 || value.contains("/../")
                        || value.endsWith("/..") || value.contains("/./") || value.endsWith("/.")) {
                    throw new IllegalArgumentException("unix:path needs an absolute, normalised executable path");
                }
            }
            case "sha256" -> {
                if (!SHA256.matcher(value).matches()) {
                    throw new IllegalArgumentException("unix:sha256 needs 64 lowercase hex digits");
                }
            }
            default -> throw new IllegalArgumentException("unknown unix selector '" + abbreviate(key)
                    + "'; expected uid, gid, user, path or sha256");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    @Override
    public String toString() {
        return type + ":" + key + ":" + value;
    }
}
