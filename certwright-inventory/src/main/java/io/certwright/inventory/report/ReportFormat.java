package io.certwright.inventory.report;

import io.certwright.inventory.text.Csv;
import io.certwright.inventory.text.Html;
import io.certwright.inventory.text.JsonWriter;
import io.certwright.inventory.status.CertificateStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/// The formats the compliance report is written in.
public enum ReportFormat {
    /// One JSON object: `generatedAt`, `policy`, `certificates`, `counts`, `findings`, `keyReuse`, `blastRadius`.
    JSON("json", "application/json"),
    /// One row per finding, key reuse and CA key, with a `section` column; RFC 4180, CRLF line ends.
    CSV("csv", "text/csv"),
    /// One self-contained HTML page (inline style, no scripts, no external resources), every value escaped.
    HTML("html", "text/html");

    private final String wireName;
    private final String mediaType;

    ReportFormat(String wireName, String mediaType) {
        this.wireName = wireName;
        this.mediaType = mediaType;
    }

    /// The format for a name (`json`, `csv`, `html`), case-insensitively.
    ///
    /// @throws IllegalArgumentException for another name
    public static ReportFormat parse(String name) {
        for (ReportFormat f : values()) {
            if (f.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + name + "'; expected json, csv or html");
    }

    /// The name on the command line.
    public String wireName() {
        return wireName;
    }

    /// The media type, for HTTP responses.
    public String mediaType() {
        return mediaType;
    }

    /// The report in this format.
    public String write(ComplianceReport report) {
        return switch (this) {
            case JSON -> json(report);
            case CSV -> csv(report);
            case HTML -> html(report);
        };
    }

    private static String json(ComplianceReport r) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("generatedAt").value(r.generatedAt().toString())
                .name("policy").beginObject()
                .name("maxLifetimeSeconds").value(r.policy().maxLifetime().toSeconds())
                .name("minRsaBits").value(r.policy().minRsaBits())
                .name("minEcBits").value(r.policy().minEcBits())
                .endObject()
                .name("certificates").value(r.certificates())
                .name("counts").beginObject();
        for (Map.Entry<CertificateStatus, Long> c : r.counts().entrySet()) {
            w.name(c.getKey().wireName()).value(c.getValue());
        }
        w.endObject().name("findings").beginArray();
        for (ComplianceReport.Finding f : r.findings()) {
            w.beginObject()
                    .name("type").value(f.type().wireName())
                    .name("fingerprint").value(f.fingerprint().hex())
                    .name("subject").value(f.subject())
                    .name("owner");
            if (f.owner().isPresent()) {
                w.value(f.owner().get());
            } else {
                w.nullValue();
            }
            w.name("notAfter").value(f.notAfter().toString());
            strings(w.name("places"), f.places());
            w.name("detail").value(f.detail()).endObject();
        }
        w.endArray().name("keyReuse").beginArray();
        for (ComplianceReport.KeyReuse k : r.keyReuse()) {
            w.beginObject().name("publicKey").value(k.publicKey().hex());
            strings(w.name("certificates"), k.certificates().stream().map(x -> x.hex()).toList());
            strings(w.name("subjects"), k.subjects());
            strings(w.name("services"), k.services());
            strings(w.name("owners"), k.owners());
            w.endObject();
        }
        w.endArray().name("blastRadius").beginArray();
        for (ComplianceReport.BlastRadius b : r.blastRadius()) {
            w.beginObject().name("issuerKeyId").value(b.issuerKeyId()).name("issuer").value(b.issuer())
                    .name("certificates").value(b.certificates());
            strings(w.name("services"), b.services());
            strings(w.name("places"), b.places());
            strings(w.name("owners"), b.owners());
            w.endObject();
        }
        return w.endArray().endObject().toString();
    }

    private static void strings(JsonWriter w, List<String> values) {
        w.beginArray();
        values.forEach(w::value);
        w.endArray();
    }

    private static String csv(ComplianceReport r) {
        StringBuilder b = new StringBuilder();
        b.append(Csv.line(List.of("section", "type", "fingerprint", "subject", "owner", "not_after", "places",
                "detail")));
        for (ComplianceReport.Finding f : r.findings()) {
            b.append(Csv.line(List.of("finding", f.type().wireName(), f.fingerprint().hex(), f.subject(),
                    f.owner().orElse(""), f.notAfter().toString(), String.join("; ", f.places()), f.detail())));
        }
        for (ComplianceReport.KeyReuse k : r.keyReuse()) {
            b.append(Csv.line(List.of("key-reuse", "public-key", k.publicKey().hex(), String.join("; ", k.subjects()),
                    String.join("; ", k.owners()), "", String.join("; ", k.services()),
                    k.certificates().size() + " certificates: "
                            + String.join("; ", k.certificates().stream().map(x -> x.hex()).toList()))));
        }
        for (ComplianceReport.BlastRadius x : r.blastRadius()) {
            b.append(Csv.line(List.of("blast-radius", "ca-key", x.issuerKeyId(), x.issuer(),
                    String.join("; ", x.owners()), "", String.join("; ", x.places()),
                    x.certificates() + " certificates; services: " + String.join("; ", x.services()))));
        }
        return b.toString();
    }

    private static String html(ComplianceReport r) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Certwright compliance report</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}")
                .append("table{border-collapse:collapse;margin:0 0 2rem;width:100%}")
                .append("th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;")
                .append("font-size:.9rem}th{background:#f3f4f6}code{font-size:.8rem;word-break:break-all}")
                .append(".none{color:#57606a}</style></head><body>\n")
                .append("<h1>Certwright compliance report</h1>\n<p>Generated ")
                .append(Html.escape(r.generatedAt().toString())).append(" over ").append(r.certificates())
                .append(" certificates.</p>\n<table><tr>");
        for (CertificateStatus s : r.counts().keySet()) {
            b.append("<th>").append(Html.escape(s.wireName())).append("</th>");
        }
        b.append("</tr><tr>");
        for (Long n : r.counts().values()) {
            b.append("<td>").append(n).append("</td>");
        }
        b.append("</tr></table>\n");
        for (FindingType type : FindingType.values()) {
            List<ComplianceReport.Finding> list = r.findings(type);
            b.append("<h2 id=\"").append(type.wireName()).append("\">").append(Html.escape(type.heading()))
                    .append(" (").append(list.size()).append(")</h2>\n");
            if (list.isEmpty()) {
                b.append("<p class=\"none\">None.</p>\n");
                continue;
            }
            b.append("<table><tr><th>Certificate</th><th>Owner</th><th>Expires</th><th>Places</th>")
                    .append("<th>Detail</th><th>Fingerprint</th></tr>\n");
            for (ComplianceReport.Finding f : list) {
                row(b, f.subject(), f.owner().orElse(""), f.notAfter().toString(), String.join(", ", f.places()),
                        f.detail(), f.fingerprint().hex());
            }
            b.append("</table>\n");
        }
        b.append("<h2 id=\"key-reuse\">Keys reused across certificates (").append(r.keyReuse().size())
                .append(")</h2>\n");
        if (r.keyReuse().isEmpty()) {
            b.append("<p class=\"none\">None.</p>\n");
        } else {
            b.append("<table><tr><th>Public key</th><th>Certificates</th><th>Services</th><th>Owners</th></tr>\n");
            for (ComplianceReport.KeyReuse k : r.keyReuse()) {
                row(b, k.publicKey().hex(), String.join(", ", k.subjects()), String.join(", ", k.services()),
                        String.join(", ", k.owners()));
            }
            b.append("</table>\n");
        }
        b.append("<h2 id=\"blast-radius\">Blast radius per CA key (").append(r.blastRadius().size())
                .append(")</h2>\n");
        if (r.blastRadius().isEmpty()) {
            b.append("<p class=\"none\">None.</p>\n");
        } else {
            b.append("<table><tr><th>CA key</th><th>Issuer</th><th>Certificates</th><th>Services</th>")
                    .append("<th>Places</th><th>Owners</th></tr>\n");
            for (ComplianceReport.BlastRadius x : r.blastRadius()) {
                row(b, x.issuerKeyId(), x.issuer(), Integer.toString(x.certificates()),
                        String.join(", ", x.services()), String.join(", ", x.places()), String.join(", ", x.owners()));
            }
            b.append("</table>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder b, String... cells) {
        b.append("<tr>");
        for (String c : cells) {
            b.append("<td>").append(Html.escape(c)).append("</td>");
        }
        b.append("</tr>\n");
    }
}
