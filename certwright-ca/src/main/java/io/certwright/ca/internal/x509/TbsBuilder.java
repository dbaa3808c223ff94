package io.certwright.ca.internal.x509;

import io.certwright.ca.profile.CertificateTemplate;
import io.certwright.ca.profile.IssuerInfo;
import io.certwright.ca.profile.NameConstraints;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.TrustDomain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.jspecify.annotations.Nullable;

/// Turns a [CertificateTemplate] into a to-be-signed certificate. Makes no policy decisions: every
/// choice was made when the template was filled in.
public final class TbsBuilder {

    private static final Map<String, AlgorithmIdentifier> SIGNATURE_ALGORITHMS = new ConcurrentHashMap<>();
    private static final DefaultSignatureAlgorithmIdentifierFinder FINDER = new DefaultSignatureAlgorithmIdentifierFinder();
    /// The TLS extension number of `status_request` (RFC 6066), the one TLS feature must-staple names.
    static final int STATUS_REQUEST = 5;
    /// id-pe-tlsfeature ([RFC 7633 §6](https://www.rfc-editor.org/rfc/rfc7633#section-6)).
    static final ASN1ObjectIdentifier TLS_FEATURE = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");

    private TbsBuilder() {
    }

    /// The AlgorithmIdentifier for a JCA signature algorithm name.
    public static AlgorithmIdentifier signatureAlgorithm(String jcaName) {
        return SIGNATURE_ALGORITHMS.computeIfAbsent(jcaName, FINDER::find);
    }

    public static TBSCertificate build(CertificateTemplate t) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(t.subjectPublicKey().getEncoded());
        V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
        g.setSerialNumber(new ASN1Integer(t.serial().value()));
        g.setSignature(signatureAlgorithm(t.issuer().signatureAlgorithm()));
        g.setIssuer(issuerName(t.issuer()));
        g.setStartDate(X509Time.encode(t.validity().notBefore()));
        g.setEndDate(X509Time.encode(t.validity().notAfter()));
        X500Name subject = X500Name.getInstance(t.subject().getEncoded());
        g.setSubject(subject);
        g.setSubjectPublicKeyInfo(spki);
        try {
            g.setExtensions(extensions(t, spki, subject.getRDNs().length == 0).generate());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode extensions", e);
        }
        return g.generateTBSCertificate();
    }

    private static ExtensionsGenerator extensions(CertificateTemplate t, SubjectPublicKeyInfo spki,
            boolean emptySubject) throws IOException {
        Profile profile = t.profile();
        ExtensionsGenerator ext = new ExtensionsGenerator();
        if (profile.isCa()) {
            BasicConstraints bc = t.pathLength().map(BasicConstraints::new).orElseGet(() -> new BasicConstraints(true));
            ext.addExtension(Extension.basicConstraints, true, bc);
            ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else if (profile == Profile.OCSP_SIGNER) {
            ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            ext.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            ext.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
        } else {
            ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int ku = KeyUsage.digitalSignature;
            if (t.subjectKeyFamily() == KeyAlgorithm.Family.RSA) {
                ku |= KeyUsage.keyEncipherment;
            }
            ext.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
            List<KeyPurposeId> ekus = new ArrayList<>();
            if (profile.serverAuth()) {
                ekus.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (profile.clientAuth()) {
                ekus.add(KeyPurposeId.id_kp_clientAuth);
            }
            ext.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(ekus.toArray(KeyPurposeId[]::new)));
        }
        ext.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(spki)));
        ext.addExtension(Extension.authorityKeyIdentifier, false,
                new AuthorityKeyIdentifier(t.selfSigned() ? keyIdentifier(spki) : t.issuer().keyIdentifier()));
        if (!t.names().isEmpty()) {
            ext.addExtension(Extension.subjectAlternativeName, emptySubject, generalNames(t.names()));
        }
        if (profile.isCa() && !t.nameConstraints().isEmpty()) {
            ext.addExtension(Extension.nameConstraints, true, nameConstraints(t.nameConstraints()));
        }
        // A delegated OCSP signer is not checked for revocation (it carries ocsp-nocheck), so it needs no URLs.
        if (!t.selfSigned() && profile != Profile.OCSP_SIGNER) {
            addRevocationUrls(ext, t.revocationUrls());
        }
        if (t.mustStaple()) {
            ext.addExtension(TLS_FEATURE, false, new DERSequence(new ASN1Integer(STATUS_REQUEST)));
        }
        return ext;
    }

    /// The issuer's name as Bouncy Castle holds it, parsed once per issuer rather than once per certificate.
    private static volatile @Nullable IssuerName lastIssuer;

    private record IssuerName(IssuerInfo issuer, X500Name name) {
    }

    private static X500Name issuerName(IssuerInfo issuer) {
        IssuerName cached = lastIssuer;
        if (cached != null && cached.issuer().equals(issuer)) {
            return cached.name();
        }
        X500Name name = X500Name.getInstance(issuer.subject().getEncoded());
        lastIssuer = new IssuerName(issuer, name);
        return name;
    }

    /// RFC 5280 §4.2.1.2 method 1 for a public key.
    public static byte[] keyIdentifier(java.security.PublicKey key) {
        return keyIdentifier(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    /// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING.
    public static byte[] keyIdentifier(SubjectPublicKeyInfo spki) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    static GeneralNames generalNames(SubjectNames names) {
        List<GeneralName> out = new ArrayList<>();
        for (String d : names.dns()) {
            out.add(new GeneralName(GeneralName.dNSName, d));
        }
        for (InetAddress ip : names.ips()) {
            out.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
        }
        for (URI u : names.uris()) {
            out.add(new GeneralName(GeneralName.uniformResourceIdentifier, u.toString()));
        }
        for (String e : names.emails()) {
            out.add(new GeneralName(GeneralName.rfc822Name, e));
        }
        return new GeneralNames(out.toArray(GeneralName[]::new));
    }

    private static org.bouncycastle.asn1.x509.NameConstraints nameConstraints(NameConstraints nc) {
        List<GeneralSubtree> permitted = new ArrayList<>();
        for (String d : nc.permittedDnsDomains()) {
            permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, d)));
        }
        for (TrustDomain td : nc.permittedSpiffeTrustDomains()) {
            permitted.add(new GeneralSubtree(new GeneralName(GeneralName.uniformResourceIdentifier, td.name())));
        }
        return new org.bouncycastle.asn1.x509.NameConstraints(permitted.toArray(GeneralSubtree[]::new), null);
    }

    private static void addRevocationUrls(ExtensionsGenerator ext, RevocationUrls urls) throws IOException {
        if (!urls.crlDistributionPoints().isEmpty()) {
            DistributionPoint[] points = urls.crlDistributionPoints().stream()
                    .map(u -> new DistributionPoint(new DistributionPointName(
                            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, u.toString()))),
                            null, null))
                    .toArray(DistributionPoint[]::new);
            ext.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(points));
        }
        List<AccessDescription> access = new ArrayList<>();
        for (URI u : urls.ocspResponders()) {
            access.add(new AccessDescription(AccessDescription.id_ad_ocsp,
                    new GeneralName(GeneralName.uniformResourceIdentifier, u.toString())));
        }
        for (URI u : urls.caIssuers()) {
            access.add(new AccessDescription(AccessDescription.id_ad_caIssuers,
                    new GeneralName(GeneralName.uniformResourceIdentifier, u.toString())));
        }
        if (!access.isEmpty()) {
            ext.addExtension(Extension.authorityInfoAccess, false,
                    new AuthorityInformationAccess(access.toArray(AccessDescription[]::new)));
        }
    }
}
