package io.certwright.inventory.text;

import java.util.List;

/// CSV per [RFC 4180](https://www.rfc-editor.org/rfc/rfc4180), with lines ending in CRLF.
///
/// Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return)
/// get a leading `'`, because certificate names come from outside and a report is opened in spreadsheets.
public final class Csv {

    private Csv() {
    }

    /// One line: the cells, quoted where needed, separated by commas, ending in CRLF.
    public static String line(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(cell(cells.get(i)));
        }
        return b.append("\r\n").toString();
    }

    /// One cell, defused and quoted if it holds a comma, quote or line break.
    public static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
