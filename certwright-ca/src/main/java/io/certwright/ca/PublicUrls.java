package io.certwright.ca;

import io.certwright.ca.internal.x509.X509Certificates;
import io.certwright.ca.profile.RevocationUrls;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/// Where relying parties find revocation information and CA certificates, under one public base URL:
///
/// | what | URL | written into |
/// |---|---|---|
/// | a CA's CRL | `<base>/crl/<ca-id>.crl` | CRL distribution points of the certificates that CA signs |
/// | the OCSP responder | `<base>/ocsp` | authority information access (OCSP) of leaf certificates |
/// | a CA's certificate | `<base>/ca/<ca-id>.crt` | authority information access (caIssuers) |
///
/// `<ca-id>` ([#caId]) is the CA certificate's subject key identifier in lowercase hex. It is fixed for the
/// life of the CA's key, differs between CAs, and needs no registry: a certificate signed by an intermediate
/// that has since been replaced still points at that intermediate's own CRL, never at its successor's,
/// which would name the wrong issuer and fail revocation checking. (Role names such as `intermediate` would
/// move to the new CA on rotation; a server may still offer them as aliases for people.)
///
/// @param base the public base URL, absolute `http` or `https`, without query or fragment; a trailing
///     slash is dropped
public record PublicUrls(URI base) {

    public PublicUrls {
        Objects.requireNonNull(base, "base");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!base.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null) {
            throw new IllegalArgumentException("public URL '" + base + "' must be an absolute http or https URL");
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("public URL '" + base + "' must not have a query or fragment");
        }
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        base = URI.create(text);
    }

    /// Parses a base URL.
    ///
    /// @throws IllegalArgumentException when it is not an absolute http or https URL
    public static PublicUrls parse(String base) {
        try {
            return new PublicUrls(new URI(base.trim()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("public URL '" + base + "' is not a URI: " + e.getReason(), e);
        }
    }

    /// The name a CA is published under: its subject key identifier in lowercase hex.
    public static String caId(X509Certificate ca) {
        return HexFormat.of().formatHex(X509Certificates.subjectKeyIdentifier(ca));
    }

    /// The URL of `ca`'s CRL.
    public URI crl(X509Certificate ca) {
        return URI.create(base + "/crl/" + caId(ca) + ".crl");
    }

    /// The URL of the OCSP responder.
    public URI ocsp() {
        return URI.create(base + "/ocsp");
    }

    /// The URL of `ca`'s certificate (DER).
    public URI caCertificate(X509Certificate ca) {
        return URI.create(base + "/ca/" + caId(ca) + ".crt");
    }

    /// What leaf certificates signed by `issuingCa` carry: its CRL, the OCSP responder, and its certificate.
    public RevocationUrls forLeavesOf(X509Certificate issuingCa) {
        return new RevocationUrls(List.of(crl(issuingCa)), List.of(ocsp()), List.of(caCertificate(issuingCa)));
    }

    /// What intermediates signed by `root` carry: the root's CRL (which lists revoked intermediates) and the
    /// root's certificate. No OCSP URL: the responder answers for the issuing CA's certificates.
    public RevocationUrls forIntermediatesOf(X509Certificate root) {
        return new RevocationUrls(List.of(crl(root)), List.of(), List.of(caCertificate(root)));
    }
}
