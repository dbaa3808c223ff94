package io.certwright.ca.internal.x509;

import io.certwright.ca.profile.CertificateTemplate;
import io.certwright.ca.profile.LintFinding;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.TBSCertificate;

/// A certificate built from its template and linted, waiting for its signature: the to-be-signed bytes to
/// record and sign, the lint findings, and the assembly once the signature exists.
public final class PreparedCertificate {

    private final TBSCertificate tbs;
    private final byte[] tbsDer;
    private final List<LintFinding> findings;
    private final boolean ca;
    private final DeferredX509Certificate.Known known;

    private PreparedCertificate(TBSCertificate tbs, List<LintFinding> findings, boolean ca,
            DeferredX509Certificate.Known known) {
        this.tbs = tbs;
        this.tbsDer = X509Certificates.encode(tbs);
        this.findings = List.copyOf(findings);
        this.ca = ca;
        this.known = known;
    }

    /// Builds the to-be-signed certificate for `template` and lints it.
    public static PreparedCertificate prepare(CertificateTemplate template) {
        TBSCertificate tbs = TbsBuilder.build(template);
        return new PreparedCertificate(tbs, Linter.lint(tbs, template.issuer(), template.profile()),
                template.profile().isCa(), new DeferredX509Certificate.Known(template.serial().value(),
                        template.issuer().subject(), template.subject(), template.subjectPublicKey(),
                        template.validity().notBefore(), template.validity().notAfter(), extensionValues(tbs)));
    }

    private static java.util.Map<String, byte[]> extensionValues(TBSCertificate tbs) {
        org.bouncycastle.asn1.x509.Extensions extensions = tbs.getExtensions();
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        if (extensions != null) {
            for (org.bouncycastle.asn1.ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
                try {
                    out.put(oid.getId(), extensions.getExtension(oid).getExtnValue().getEncoded(
                            org.bouncycastle.asn1.ASN1Encoding.DER));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("an extension the CA built does not encode", e);
                }
            }
        }
        return out;
    }

    /// The lint rules the certificate breaks; it must not be signed unless this is empty.
    public List<LintFinding> findings() {
        return findings;
    }

    /// The exact DER the signature covers.
    public byte[] tbsDer() {
        return tbsDer.clone();
    }

    /// The signed certificate. CA certificates are parsed at once, since they are inspected right away;
    /// leaf certificates are parsed only when a caller needs more than their encoding.
    public X509Certificate assemble(byte[] signature) throws CertificateException {
        if (!findings.isEmpty()) {
            throw new IllegalStateException("a certificate with lint findings must not be assembled");
        }
        return ca ? X509Certificates.assembleParsed(tbsDer, tbs.getSignature(), signature)
                : X509Certificates.assemble(tbsDer, tbs.getSignature(), signature, known);
    }
}
