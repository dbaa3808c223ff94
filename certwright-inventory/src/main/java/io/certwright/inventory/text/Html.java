package io.certwright.inventory.text;

/// Escaping for HTML text and attribute values.
public final class Html {

    private Html() {
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, and control characters other
    /// than tab and newline dropped; safe in element content and in quoted attribute values.
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
