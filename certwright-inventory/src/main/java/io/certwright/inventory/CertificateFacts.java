package io.certwright.inventory;

import io.certwright.core.SpiffeId;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;

/// What the inventory knows about one certificate from the certificate itself.
///
/// @param fingerprint SHA-256 of the DER, the certificate's identity in the inventory
/// @param subject subject distinguished name (RFC 2253)
/// @param issuer issuer distinguished name (RFC 2253)
/// @param dnsNames DNS subject alternative names, lowercase, in certificate order
/// @param ipAddresses IP address subject alternative names
/// @param uris URI subject alternative names
/// @param spiffeId the SPIFFE ID, when one URI SAN is a valid SPIFFE ID
/// @param serialHex the serial number as lowercase hex (a discovered certificate may carry a serial that RFC 5280
///     forbids, so this is not a `SerialNumber`)
/// @param notBefore start of validity
/// @param notAfter end of validity
/// @param keyType `RSA`, `EC`, `Ed25519`, `Ed448`, `ML-DSA-65`, ...
/// @param keySize key size in bits for RSA and EC; 0 where a size says nothing (EdDSA, ML-DSA)
/// @param signatureAlgorithm the JCA name of the signature algorithm, such as `SHA256withECDSA`
/// @param publicKeyFingerprint SHA-256 of the SubjectPublicKeyInfo, equal in certificates that share a key
/// @param authorityKeyId the issuer's key identifier (AKI extension), lowercase hex
/// @param subjectKeyId this certificate's key identifier (SKI extension), lowercase hex
/// @param selfSigned whether subject equals issuer and the key identifiers, if present, agree
/// @param ca whether basic constraints mark this a CA certificate
public record CertificateFacts(
        Fingerprint fingerprint,
        String subject,
        String issuer,
        List<String> dnsNames,
        List<String> ipAddresses,
        List<String> uris,
        Optional<String> spiffeId,
        String serialHex,
        Instant notBefore,
        Instant notAfter,
        String keyType,
        int keySize,
        String signatureAlgorithm,
        Fingerprint publicKeyFingerprint,
        Optional<String> authorityKeyId,
        Optional<String> subjectKeyId,
        boolean selfSigned,
        boolean ca) {

    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    public CertificateFacts {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        uris = List.copyOf(uris);
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(serialHex, "serialHex");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        Objects.requireNonNull(publicKeyFingerprint, "publicKeyFingerprint");
        Objects.requireNonNull(authorityKeyId, "authorityKeyId");
        Objects.requireNonNull(subjectKeyId, "subjectKeyId");
    }

    /// Reads the facts of a parsed certificate.
    ///
    /// @throws IllegalArgumentException if the certificate cannot be encoded or its public key is unreadable
    public static CertificateFacts of(X509Certificate certificate) {
        EncodedCertificate encoded = EncodedCertificate.of(certificate);
        PublicKey key = certificate.getPublicKey();
        byte[] spki = key.getEncoded();
        if (spki == null) {
            throw new IllegalArgumentException("certificate public key has no encoding");
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        readSans(certificate, dns, ips, uris);
        Optional<String> spiffe = uris.stream().filter(SpiffeId::isValid).findFirst();
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        String issuer = certificate.getIssuerX500Principal().getName(X500Principal.RFC2253);
        Optional<String> aki = KeyIdentifiers.authorityKeyId(certificate.getExtensionValue("2.5.29.35"));
        Optional<String> ski = KeyIdentifiers.subjectKeyId(certificate.getExtensionValue("2.5.29.14"));
        boolean selfSigned = certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                && (aki.isEmpty() || ski.isEmpty() || aki.equals(ski));
        BigInteger serial = certificate.getSerialNumber();
        return new CertificateFacts(encoded.fingerprint(), subject, issuer, dns, ips, uris, spiffe,
                serial.toString(16), certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                keyType(key), keySize(key), certificate.getSigAlgName(), Fingerprint.sha256(spki), aki, ski,
                selfSigned, certificate.getBasicConstraints() >= 0);
    }

    private static void readSans(X509Certificate certificate, List<String> dns, List<String> ips, List<String> uris) {
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException | RuntimeException e) {
            return;
        }
        if (sans == null) {
            return;
        }
        for (List<?> san : sans) {
            if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) {
                continue;
            }
            switch (type) {
                case SAN_DNS -> dns.add(value.toLowerCase(Locale.ROOT));
                case SAN_IP -> ips.add(value);
                case SAN_URI -> uris.add(value);
                default -> { }
            }
        }
    }

    private static String keyType(PublicKey key) {
        AlgorithmParameterSpec params = key.getParams();
        if (params instanceof NamedParameterSpec named) {
            return named.getName();
        }
        return key.getAlgorithm();
    }

    private static int keySize(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getOrder().bitLength();
        }
        return 0;
    }

    /// Every subject alternative name (DNS, IP, URI), deduplicated and sorted: the names a newer certificate
    /// must cover to replace this one.
    public List<String> names() {
        TreeSet<String> all = new TreeSet<>(dnsNames);
        all.addAll(ipAddresses);
        all.addAll(uris);
        return List.copyOf(all);
    }

    /// What renewals of this certificate have in common: the SPIFFE ID if it has one, else its sorted names,
    /// else its subject.
    public String identity() {
        if (spiffeId.isPresent()) {
            return "spiffe:" + spiffeId.get();
        }
        List<String> names = names();
        return names.isEmpty() ? "subject:" + subject : "names:" + String.join(",", names);
    }

    /// The total validity period.
    public Duration lifetime() {
        return Duration.between(notBefore, notAfter);
    }

    /// Whether a DNS name is a wildcard (`*.example.com`).
    public boolean hasWildcard() {
        return dnsNames.stream().anyMatch(n -> n.startsWith("*"));
    }

    /// Whether the signature uses SHA-1 (or an older digest such as MD5).
    public boolean weakSignatureDigest() {
        String a = signatureAlgorithm.toUpperCase(Locale.ROOT);
        return a.startsWith("SHA1") || a.contains("SHA-1") || a.startsWith("MD5") || a.startsWith("MD2");
    }

    /// The subject's common name if it has one, else the subject; for one-line messages.
    public String commonNameOrSubject() {
        for (String part : subject.split(",", -1)) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        if (spiffeId.isPresent()) {
            return spiffeId.get();
        }
        return dnsNames.isEmpty() ? subject : dnsNames.getFirst();
    }
}
