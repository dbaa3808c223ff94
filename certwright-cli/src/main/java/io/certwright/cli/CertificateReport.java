package io.certwright.cli;

import io.certwright.ca.inspect.CertificateDetails;
import io.certwright.ca.inspect.CertificateInspector;
import io.certwright.ca.inspect.ExtensionInfo;
import io.certwright.ca.inspect.KeyInfo;
import io.certwright.core.SpiffeId;
import java.io.PrintWriter;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/// What `certwright inspect` prints about a list of certificates, as text or JSON.
final class CertificateReport {

    /// One subject alternative name.
    ///
    /// @param type `DNS`, `IP`, `URI`, `email` or another GeneralName kind
    /// @param value the name
    record San(String type, String value) {
        @Override
        public String toString() {
            return type + ":" + value;
        }
    }

    /// Who issued certificate `index` within the list.
    ///
    /// @param index position in the list, from 0
    /// @param issuer position of the certificate whose key verifies this one's signature, if in the list
    /// @param selfSigned whether it verifies with its own key and names itself as issuer
    record Link(int index, Optional<Integer> issuer, boolean selfSigned) {
    }

    private final String source;
    private final List<X509Certificate> certs;
    private final Instant now;

    CertificateReport(String source, List<X509Certificate> certs, Instant now) {
        this.source = source;
        this.certs = List.copyOf(certs);
        this.now = now;
    }

    static List<San> sans(X509Certificate cert) {
        Collection<List<?>> raw;
        try {
            raw = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of(new San("malformed", "the subject alternative names do not decode"));
        }
        List<San> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (List<?> entry : raw) {
            int type = entry.get(0) instanceof Integer t ? t : -1;
            Object value = entry.get(1);
            String text = value instanceof String s ? s : "(" + type + ")";
            out.add(new San(switch (type) {
                case 1 -> "email";
                case 2 -> "DNS";
                case 6 -> "URI";
                case 7 -> "IP";
                case 4 -> "DirName";
                case 0 -> "othername";
                case 8 -> "RID";
                default -> "type" + type;
            }, text));
        }
        return out;
    }

    static Optional<SpiffeId> spiffeId(X509Certificate cert) {
        return sans(cert).stream().filter(s -> s.type().equals("URI") && s.value().startsWith(SpiffeId.SCHEME_PREFIX))
                .filter(s -> SpiffeId.isValid(s.value())).map(s -> SpiffeId.parse(s.value())).findFirst();
    }

    List<Link> links() {
        List<Link> out = new ArrayList<>();
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate c = certs.get(i);
            boolean self = c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && verifies(c, c);
            Optional<Integer> issuer = Optional.empty();
            if (!self) {
                for (int j = 0; j < certs.size(); j++) {
                    X509Certificate candidate = certs.get(j);
                    if (j != i && candidate.getSubjectX500Principal().equals(c.getIssuerX500Principal())
                            && verifies(c, candidate)) {
                        issuer = Optional.of(j);
                        break;
                    }
                }
            }
            out.add(new Link(i, issuer, self));
        }
        return out;
    }

    private static boolean verifies(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /// Whether every certificate is issued by the next one, as TLS and PEM chains should be ordered.
    static boolean inOrder(List<Link> links) {
        for (Link l : links) {
            boolean last = l.index() == links.size() - 1;
            if (!last && !l.issuer().equals(Optional.of(l.index() + 1))) {
                return false;
            }
        }
        return true;
    }

    void printText(PrintWriter out) {
        List<Link> links = links();
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate c = certs.get(i);
            CertificateDetails d = CertificateInspector.describe(c);
            out.println("Certificate " + (i + 1) + " of " + certs.size() + " (" + role(c, links.get(i)) + ")"
                    + (i == 0 ? "  from " + source : ""));
            Text.row(out, "  ", "Subject", name(c.getSubjectX500Principal().getName()));
            Text.row(out, "  ", "Issuer", name(c.getIssuerX500Principal().getName()));
            Text.row(out, "  ", "Serial", Text.serial(c));
            Text.row(out, "  ", "Validity", List.of(Text.validity(c), Text.status(c, now)));
            List<San> sans = sans(c);
            if (!sans.isEmpty()) {
                Text.row(out, "  ", "SANs", sans.stream().map(San::toString).toList());
            }
            spiffeId(c).ifPresent(id -> Text.row(out, "  ", "SPIFFE ID", id.toString()));
            Text.row(out, "  ", "Public key", keyText(d.key()));
            Text.row(out, "  ", "Signature", c.getSigAlgName());
            Text.row(out, "  ", "SHA-256", Text.sha256(c));
            Text.row(out, "  ", "SHA-1", Text.fingerprint(c, "SHA-1"));
            out.println("  Extensions");
            if (d.extensions().isEmpty()) {
                out.println("    (none)");
            }
            for (ExtensionInfo e : d.extensions()) {
                out.println("    " + e.name() + (e.critical() ? " (critical)" : ""));
                int length = e.values().stream().mapToInt(v -> v.length() + 2).sum();
                if (length <= 72) {
                    out.println("        " + String.join(", ", e.values()));
                } else {
                    e.values().forEach(v -> out.println("        " + v));
                }
            }
            out.println();
        }
        out.println("Chain");
        for (Link l : links) {
            X509Certificate c = certs.get(l.index());
            out.println("  [" + (l.index() + 1) + "] " + name(c.getSubjectX500Principal().getName()) + " - "
                    + linkText(l));
        }
        if (certs.size() > 1) {
            out.println(inOrder(links)
                    ? "  in order: each certificate is issued by the next"
                    : "  NOT in order: a certificate is not followed by its issuer");
        }
    }

    private static String role(X509Certificate c, Link link) {
        if (c.getBasicConstraints() < 0) {
            return "leaf";
        }
        return link.selfSigned() ? "root CA" : "intermediate CA";
    }

    private static String linkText(Link l) {
        if (l.selfSigned()) {
            return "self-signed";
        }
        return l.issuer().map(j -> "issued by [" + (j + 1) + "]").orElse("issuer not in this chain");
    }

    private static String keyText(KeyInfo k) {
        return k.bits() > 0 && !k.description().contains(String.valueOf(k.bits()))
                ? k.description() + " (" + k.bits() + " bits)" : k.description();
    }

    private static String name(String rfc2253) {
        return rfc2253.isEmpty() ? "(empty)" : rfc2253;
    }

    Json.Obj json() {
        List<Link> links = links();
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate c = certs.get(i);
            CertificateDetails d = CertificateInspector.describe(c);
            List<Object> exts = new ArrayList<>();
            for (ExtensionInfo e : d.extensions()) {
                exts.add(Json.object().put("oid", e.oid()).put("name", e.name()).put("critical", e.critical())
                        .put("values", Json.array(e.values())));
            }
            Link l = links.get(i);
            list.add(Json.object()
                    .put("subject", c.getSubjectX500Principal().getName())
                    .put("issuer", c.getIssuerX500Principal().getName())
                    .put("serial", Text.serial(c))
                    .put("notBefore", c.getNotBefore().toInstant().toString())
                    .put("notAfter", c.getNotAfter().toInstant().toString())
                    .put("status", Text.status(c, now))
                    .put("expired", now.isAfter(c.getNotAfter().toInstant()))
                    .put("secondsLeft", java.time.Duration.between(now, c.getNotAfter().toInstant()).toSeconds())
                    .put("sans", Json.array(sans(c).stream().map(s -> Json.object().put("type", s.type())
                            .put("value", s.value())).toList()))
                    .put("spiffeId", spiffeId(c).map(SpiffeId::toString))
                    .put("publicKey", Json.object().put("type", d.key().description()).put("bits", d.key().bits()))
                    .put("signatureAlgorithm", c.getSigAlgName())
                    .put("sha256", Text.sha256(c))
                    .put("sha1", Text.fingerprint(c, "SHA-1"))
                    .put("ca", c.getBasicConstraints() >= 0)
                    .put("selfSigned", l.selfSigned())
                    .put("issuedBy", l.issuer())
                    .put("extensions", exts));
        }
        return Json.object().put("source", source).put("certificates", list).put("inOrder", inOrder(links));
    }
}
