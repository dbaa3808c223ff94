package io.certwright.cli;

import io.certwright.inventory.discovery.Finding;
import io.certwright.inventory.discovery.KeyDescription;
import io.certwright.inventory.discovery.Place;
import io.certwright.inventory.discovery.ScanError;
import io.certwright.inventory.discovery.ScanReport;
import io.certwright.inventory.discovery.TlsDetails;
import io.certwright.inventory.discovery.TrustCheck;
import java.io.PrintWriter;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/// The three forms of `scan` output: an aligned table for people, JSON and CSV for programs.
final class ScanOutput {

    /// The CSV columns, one row per finding and per error.
    static final List<String> CSV_COLUMNS = List.of("type", "place", "host", "port", "sni", "address", "starttls",
            "path", "alias", "leaf_sha256", "subject", "issuer", "not_before", "not_after", "key",
            "signature_algorithm", "protocol", "cipher_suite", "ocsp_stapled", "trust_roots", "trust_jdk", "hostname",
            "error_kind", "message", "seen_at");

    /// Quotes only values that need it (commas, quotes, line breaks), so rows stay easy to grep.
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvWriteFeature.STRICT_CHECK_FOR_QUOTING).build();

    private ScanOutput() {
    }

    static void table(PrintWriter out, ScanReport report, Instant now, int targets, int paths) {
        if (!report.findings().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PLACE", "EXPIRES", "KEY", "SIGNATURE", "TLS", "TRUSTED BY", "HOSTNAME", "SUBJECT"});
            for (Finding f : report.findings()) {
                X509Certificate leaf = f.leaf();
                Instant notAfter = leaf.getNotAfter().toInstant();
                Duration left = Duration.between(now, notAfter);
                String expires = notAfter.toString().substring(0, 10)
                        + (left.isNegative() ? " (EXPIRED)" : " (" + Text.human(left) + ")");
                TlsDetails tls = f.tls().orElse(null);
                rows.add(new String[] {f.place().describe(), expires, f.leafKey().display(), f.signatureAlgorithm(),
                    tls == null ? "-" : tls.protocol(), tls == null ? "-" : trustedBy(tls),
                    tls == null ? "-" : tls.hostname().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    leaf.getSubjectX500Principal().getName()});
            }
            print(out, rows);
        }
        if (!report.errors().isEmpty()) {
            if (!report.findings().isEmpty()) {
                out.println();
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TARGET", "ERROR", "MESSAGE"});
            for (ScanError e : report.errors()) {
                rows.add(new String[] {e.target(), e.kind().wireName(), e.message()});
            }
            print(out, rows);
        }
        List<String> scanned = new ArrayList<>();
        if (targets > 0) {
            scanned.add(targets + (targets == 1 ? " endpoint" : " endpoints"));
        }
        if (paths > 0) {
            scanned.add(paths + (paths == 1 ? " path" : " paths"));
        }
        out.println((report.findings().isEmpty() && report.errors().isEmpty() ? "" : "\n")
                + "Scanned " + (scanned.isEmpty() ? "nothing" : String.join(" and ", scanned)) + " in "
                + Text.human(Duration.between(report.started(), report.finished())) + ": "
                + report.findings().size() + (report.findings().size() == 1 ? " certificate, " : " certificates, ")
                + report.errors().size() + (report.errors().size() == 1 ? " error" : " errors") + ".");
    }

    private static String trustedBy(TlsDetails tls) {
        List<String> by = new ArrayList<>();
        if (tls.extraRoots().trusted()) {
            by.add("roots");
        }
        if (tls.jdkTrustStore().trusted()) {
            by.add("jdk");
        }
        return by.isEmpty() ? "none" : String.join("+", by);
    }

    private static void print(PrintWriter out, List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns - 1; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns - 1; i++) {
                line.append(r[i]).append(" ".repeat(widths[i] - r[i].length() + 2));
            }
            out.println(line.append(r[columns - 1]).toString().stripTrailing());
        }
    }

    static String json(ScanReport report) {
        ObjectNode root = ServerClient.JSON.createObjectNode();
        root.put("started", report.started().toString());
        root.put("finished", report.finished().toString());
        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.findings()) {
            findings.add(finding(f));
        }
        ArrayNode errors = root.putArray("errors");
        for (ScanError e : report.errors()) {
            ObjectNode n = errors.addObject();
            n.put("target", e.target());
            n.put("kind", e.kind().wireName());
            n.put("message", e.message());
            n.put("at", e.at().toString());
        }
        return ServerClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static ObjectNode finding(Finding f) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        ObjectNode place = n.putObject("place");
        switch (f.place()) {
            case Place.Endpoint e -> {
                place.put("type", "endpoint");
                place.put("host", e.host());
                place.put("port", e.port());
                e.serverName().ifPresent(s -> place.put("sni", s));
                place.put("address", e.address());
                place.put("starttls", e.starttls().scheme());
            }
            case Place.File file -> {
                place.put("type", "file");
                place.put("path", file.path().toString());
                place.put("index", file.index());
            }
            case Place.KeystoreEntry k -> {
                place.put("type", "keystore");
                place.put("path", k.path().toString());
                place.put("keystore_type", k.type());
                place.put("alias", k.alias());
                place.put("entry", k.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        X509Certificate leaf = f.leaf();
        n.put("leaf_sha256", f.leafSha256());
        n.put("seen_at", f.seenAt().toString());
        n.put("subject", leaf.getSubjectX500Principal().getName());
        n.put("issuer", leaf.getIssuerX500Principal().getName());
        n.put("serial", Text.serial(leaf));
        n.put("not_before", leaf.getNotBefore().toInstant().toString());
        n.put("not_after", leaf.getNotAfter().toInstant().toString());
        ArrayNode names = n.putArray("dns_names");
        dnsNames(leaf).forEach(names::add);
        KeyDescription key = f.leafKey();
        ObjectNode k = n.putObject("key");
        k.put("algorithm", key.algorithm());
        k.put("bits", key.bits());
        key.parameters().ifPresent(p -> k.put("parameters", p));
        n.put("signature_algorithm", f.signatureAlgorithm());
        f.tls().ifPresent(t -> {
            ObjectNode tls = n.putObject("tls");
            tls.put("protocol", t.protocol());
            tls.put("cipher_suite", t.cipherSuite());
            tls.put("ocsp_stapled", t.ocspStapled());
            tls.set("trust_roots", trust(t.extraRoots()));
            tls.set("trust_jdk", trust(t.jdkTrustStore()));
            tls.put("hostname", t.hostname().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        });
        ArrayNode chain = n.putArray("chain");
        f.chainDer().forEach(der -> chain.add(Base64.getEncoder().encodeToString(der)));
        return n;
    }

    private static ObjectNode trust(TrustCheck t) {
        ObjectNode n = ServerClient.JSON.createObjectNode();
        n.put("verdict", t.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        n.put("detail", t.detail());
        return n;
    }

    private static List<String> dnsNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a certificate whose names cannot be parsed simply lists none
        }
        return out;
    }

    static String csv(ScanReport report) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Finding f : report.findings()) {
            Map<String, String> r = row();
            r.put("type", "certificate");
            r.put("place", f.place().describe());
            switch (f.place()) {
                case Place.Endpoint e -> {
                    r.put("host", e.host());
                    r.put("port", Integer.toString(e.port()));
                    r.put("sni", e.serverName().orElse(""));
                    r.put("address", e.address());
                    r.put("starttls", e.starttls().scheme());
                }
                case Place.File file -> r.put("path", file.path().toString());
                case Place.KeystoreEntry k -> {
                    r.put("path", k.path().toString());
                    r.put("alias", k.alias());
                }
            }
            X509Certificate leaf = f.leaf();
            r.put("leaf_sha256", f.leafSha256());
            r.put("subject", leaf.getSubjectX500Principal().getName());
            r.put("issuer", leaf.getIssuerX500Principal().getName());
            r.put("not_before", leaf.getNotBefore().toInstant().toString());
            r.put("not_after", leaf.getNotAfter().toInstant().toString());
            r.put("key", f.leafKey().display());
            r.put("signature_algorithm", f.signatureAlgorithm());
            f.tls().ifPresent(t -> {
                r.put("protocol", t.protocol());
                r.put("cipher_suite", t.cipherSuite());
                r.put("ocsp_stapled", Boolean.toString(t.ocspStapled()));
                r.put("trust_roots", t.extraRoots().verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                r.put("trust_jdk", t.jdkTrustStore().verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                r.put("hostname", t.hostname().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            });
            r.put("seen_at", f.seenAt().toString());
            rows.add(r);
        }
        for (ScanError e : report.errors()) {
            Map<String, String> r = row();
            r.put("type", "error");
            r.put("place", e.target());
            r.put("error_kind", e.kind().wireName());
            r.put("message", e.message());
            r.put("seen_at", e.at().toString());
            rows.add(r);
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        CSV_COLUMNS.forEach(schema::addColumn);
        return CSV.writer(schema.build()).writeValueAsString(rows);
    }

    private static Map<String, String> row() {
        Map<String, String> r = new LinkedHashMap<>();
        CSV_COLUMNS.forEach(c -> r.put(c, ""));
        return r;
    }
}
