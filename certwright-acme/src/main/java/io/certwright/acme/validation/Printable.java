package io.certwright.acme.validation;

/// Makes text received from a client's server safe to repeat in a problem detail: bounded, and with
/// control and non-ASCII characters escaped.
final class Printable {

    /// The most characters of received text repeated in a detail.
    static final int MAX = 100;

    private Printable() {
    }

    /// `text` quoted, cut to [#MAX] characters, with anything outside printable ASCII escaped.
    static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8).append('"');
        int n = 0;
        for (int i = 0; i < text.length() && n < MAX; i++, n++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append('"');
        if (text.length() > MAX) {
            out.append(" (cut at ").append(MAX).append(" of ").append(text.length()).append(" characters)");
        }
        return out.toString();
    }
}
