package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.Csrs;
import io.certwright.ca.Pem;
import io.certwright.ca.inspect.CertificateInspector;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import tools.jackson.databind.JsonNode;

/// What `issue --server` and `renew` share: the CSR they send, the certificate the server answers with,
/// the files they write and the summary they print.
final class Enrollment {

    private Enrollment() {
    }

    /// A certificate the server issued, as its JSON answer describes it.
    ///
    /// @param serial the serial in the server's notation
    /// @param certificate the leaf
    /// @param chain the leaf followed by the intermediates, whether or not the server repeated the leaf
    /// @param profile the profile it was issued with
    record Issued(String serial, X509Certificate certificate, List<X509Certificate> chain, String profile) {

        static Issued parse(JsonNode answer) throws IOException {
            String pem = answer.path("certificate").asString("");
            if (pem.isEmpty()) {
                throw new IOException("the server's answer holds no certificate");
            }
            List<X509Certificate> leaf = Pem.readCertificates(pem.getBytes(StandardCharsets.US_ASCII),
                    "the server's certificate");
            if (leaf.isEmpty()) {
                throw new IOException("the server's answer holds no certificate");
            }
            X509Certificate cert = leaf.getFirst();
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            for (JsonNode c : answer.path("chain").values()) {
                for (X509Certificate x : Pem.readCertificates(c.asString("").getBytes(StandardCharsets.US_ASCII),
                        "the server's chain")) {
                    if (!x.equals(cert)) {
                        chain.add(x);
                    }
                }
            }
            String serial = answer.path("serial").asString("");
            return new Issued(serial.isEmpty() ? Text.serial(cert) : serial, cert, List.copyOf(chain),
                    answer.path("profile").asString(""));
        }
    }

    /// A PKCS#10 request for `key` naming `names`, as PEM.
    static String csr(KeyAlgorithm type, KeyPair key, SubjectNames names, Optional<String> commonName)
            throws GeneralSecurityException, IOException {
        byte[] der = Csrs.create(JcaSigningKey.of(type, key.getPrivate(), key.getPublic()), names, commonName);
        return Pem.csr(der);
    }

    /// The Certwright key type of `key`.
    static Optional<KeyAlgorithm> keyType(PublicKey key) {
        return CertificateInspector.key(key).algorithm();
    }

    /// Whether `privateKey` belongs to `certificate`.
    static boolean matches(PrivateKey privateKey, X509Certificate certificate) {
        Optional<KeyAlgorithm> type = keyType(certificate.getPublicKey());
        if (type.isEmpty()) {
            return false;
        }
        try {
            JcaSigningKey.of(type.get(), privateKey, certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /// The subject alternative names of `cert`, to ask for the same identity again.
    static SubjectNames names(X509Certificate cert) throws IOException {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IOException("the subject alternative names of the certificate do not decode", e);
        }
        List<String> dns = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        List<URI> uris = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) {
                    continue;
                }
                switch (type) {
                    case 1 -> emails.add(value);
                    case 2 -> dns.add(value);
                    case 6 -> uris.add(URI.create(value));
                    case 7 -> ips.add(IpRange.parseLiteral(value));
                    default -> {
                        // Other name forms are not requested by the CLI.
                    }
                }
            }
        }
        return new SubjectNames(dns, ips, uris, emails);
    }

    /// The common name of `cert`'s subject, if it has one.
    static Optional<String> commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns().reversed()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /// Adds `cert.pem`, `chain.pem` and `bundle.pem` to `files` and returns their paths.
    static List<Path> addCertificateFiles(OutputFiles files, Issued issued, List<X509Certificate> roots) {
        Path cert = files.add("cert.pem", Pem.certificate(issued.certificate()), AtomicFiles.PUBLIC);
        Path chain = files.add("chain.pem", Pem.certificates(issued.chain()), AtomicFiles.PUBLIC);
        Path bundle = files.add("bundle.pem", Pem.certificates(roots), AtomicFiles.PUBLIC);
        return List.of(cert, chain, bundle);
    }

    /// The server's trust bundle, read over the verified connection.
    static List<X509Certificate> roots(ServerClient client)
            throws IOException, InterruptedException, ServerProblem, CliException {
        return Pem.readCertificates(client.getText("/roots.pem").getBytes(StandardCharsets.US_ASCII),
                client.base() + "/roots.pem");
    }

    /// Serial, names, validity and fingerprint of a certificate the server issued.
    static void describe(PrintWriter w, Issued issued, Instant now) {
        X509Certificate c = issued.certificate();
        Text.row(w, "  ", "Subject", c.getSubjectX500Principal().getName().isEmpty() ? "(empty)"
                : c.getSubjectX500Principal().getName());
        Text.row(w, "  ", "Serial", Text.serial(c));
        Text.row(w, "  ", "Names", CertificateReport.sans(c).stream().map(Object::toString).toList());
        Text.row(w, "  ", "Valid", List.of(Text.validity(c), Text.status(c, now)));
        Text.row(w, "  ", "SHA-256", Text.sha256(c));
        Text.row(w, "  ", "Issuer", c.getIssuerX500Principal().getName());
    }
}
