package io.certwright.ca.internal.x509;

import io.certwright.ca.policy.KeyDescription;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/// Decodes the extensions of any certificate into readable values for display, for the public facade
/// `io.certwright.ca.inspect.CertificateInspector`. Tolerant: whatever does not decode is reported as
/// malformed, never thrown.
public final class CertificateDescriber {

    /// One decoded extension.
    ///
    /// @param oid its object identifier
    /// @param name readable name, or the OID when unknown
    /// @param critical whether it is marked critical
    /// @param values decoded content in `openssl x509 -text` style, one entry per item
    public record DescribedExtension(String oid, String name, boolean critical, List<String> values) {
        public DescribedExtension {
            values = List.copyOf(values);
        }
    }

    static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    static final String KEY_USAGE = "2.5.29.15";
    static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";
    static final String ISSUER_ALTERNATIVE_NAME = "2.5.29.18";
    static final String BASIC_CONSTRAINTS = "2.5.29.19";
    static final String NAME_CONSTRAINTS = "2.5.29.30";
    static final String CRL_DISTRIBUTION_POINTS = "2.5.29.31";
    static final String CERTIFICATE_POLICIES = "2.5.29.32";
    static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    static final String AUTHORITY_INFORMATION_ACCESS = "1.3.6.1.5.5.7.1.1";

    private static final Map<String, String> EXTENSION_NAMES = Map.ofEntries(
            Map.entry(SUBJECT_KEY_IDENTIFIER, "Subject Key Identifier"),
            Map.entry(KEY_USAGE, "Key Usage"),
            Map.entry(SUBJECT_ALTERNATIVE_NAME, "Subject Alternative Name"),
            Map.entry(ISSUER_ALTERNATIVE_NAME, "Issuer Alternative Name"),
            Map.entry(BASIC_CONSTRAINTS, "Basic Constraints"),
            Map.entry(NAME_CONSTRAINTS, "Name Constraints"),
            Map.entry(CRL_DISTRIBUTION_POINTS, "CRL Distribution Points"),
            Map.entry(CERTIFICATE_POLICIES, "Certificate Policies"),
            Map.entry(AUTHORITY_KEY_IDENTIFIER, "Authority Key Identifier"),
            Map.entry(EXTENDED_KEY_USAGE, "Extended Key Usage"),
            Map.entry(AUTHORITY_INFORMATION_ACCESS, "Authority Information Access"),
            Map.entry("1.3.6.1.4.1.11129.2.4.2", "CT Precertificate SCTs"),
            Map.entry("1.3.6.1.4.1.11129.2.4.3", "CT Precertificate Poison"),
            Map.entry("1.3.6.1.5.5.7.1.24", "TLS Feature"),
            Map.entry("2.5.29.36", "Policy Constraints"),
            Map.entry("2.5.29.54", "Inhibit Any Policy"));

    private static final Map<String, String> KEY_PURPOSES = Map.ofEntries(
            Map.entry("1.3.6.1.5.5.7.3.1", "Server Authentication"),
            Map.entry("1.3.6.1.5.5.7.3.2", "Client Authentication"),
            Map.entry("1.3.6.1.5.5.7.3.3", "Code Signing"),
            Map.entry("1.3.6.1.5.5.7.3.4", "Email Protection"),
            Map.entry("1.3.6.1.5.5.7.3.8", "Time Stamping"),
            Map.entry("1.3.6.1.5.5.7.3.9", "OCSP Signing"),
            Map.entry("2.5.29.37.0", "Any Extended Key Usage"));

    private static final String[] KEY_USAGES = {"Digital Signature", "Content Commitment", "Key Encipherment",
        "Data Encipherment", "Key Agreement", "Certificate Sign", "CRL Sign", "Encipher Only", "Decipher Only"};

    private CertificateDescriber() {
    }

    /// What a public key is; a key whose encoding does not decode is named by its JCA algorithm.
    public static KeyDescription key(PublicKey key) {
        try {
            return Keys.describe(key);
        } catch (RuntimeException e) {
            return new KeyDescription(java.util.Optional.empty(), 0, key.getAlgorithm(), java.util.Optional.empty());
        }
    }

    /// Every extension of `cert`, in the order the certificate carries them.
    public static List<DescribedExtension> extensions(X509Certificate cert) {
        List<DescribedExtension> out = new ArrayList<>();
        Extensions extensions = null;
        try {
            extensions = Certificate.getInstance(cert.getEncoded()).getTBSCertificate().getExtensions();
        } catch (CertificateEncodingException | RuntimeException e) {
            out.add(new DescribedExtension("", "Extensions", false, List.of("malformed: the extensions do not decode")));
        }
        if (extensions != null) {
            for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
                Extension e = extensions.getExtension(oid);
                String id = oid.getId();
                List<String> values;
                try {
                    values = values(id, e.getExtnValue().getOctets(), cert);
                } catch (RuntimeException ex) {
                    values = List.of("malformed: the extension value does not decode");
                }
                out.add(new DescribedExtension(id, EXTENSION_NAMES.getOrDefault(id, id), e.isCritical(), values));
            }
        }
        return out;
    }

    private static List<String> values(String oid, byte[] value, X509Certificate cert) {
        List<String> v = new ArrayList<>();
        switch (oid) {
            case BASIC_CONSTRAINTS -> {
                BasicConstraints bc = BasicConstraints.getInstance(value);
                v.add(bc.isCA() ? "CA:TRUE" : "CA:FALSE");
                BigInteger pathLen = bc.getPathLenConstraint();
                if (bc.isCA()) {
                    v.add(pathLen == null ? "pathlen: unlimited" : "pathlen:" + pathLen);
                }
            }
            case KEY_USAGE -> {
                boolean[] ku = cert.getKeyUsage();
                if (ku != null) {
                    for (int i = 0; i < ku.length && i < KEY_USAGES.length; i++) {
                        if (ku[i]) {
                            v.add(KEY_USAGES[i]);
                        }
                    }
                }
            }
            case EXTENDED_KEY_USAGE -> {
                for (KeyPurposeId p : ExtendedKeyUsage.getInstance(value).getUsages()) {
                    String id = p.getId();
                    v.add(KEY_PURPOSES.containsKey(id) ? KEY_PURPOSES.get(id) + " (" + id + ")" : id);
                }
            }
            case SUBJECT_KEY_IDENTIFIER ->
                v.add(colonHex(SubjectKeyIdentifier.getInstance(value).getKeyIdentifier()));
            case AUTHORITY_KEY_IDENTIFIER -> {
                AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(value);
                byte[] id = aki.getKeyIdentifierOctets();
                if (id != null) {
                    v.add("keyid:" + colonHex(id));
                }
                if (aki.getAuthorityCertIssuer() != null) {
                    for (GeneralName n : aki.getAuthorityCertIssuer().getNames()) {
                        v.add("issuer:" + generalName(n));
                    }
                }
                if (aki.getAuthorityCertSerialNumber() != null) {
                    v.add("serial:" + colonHex(aki.getAuthorityCertSerialNumber().toByteArray()));
                }
            }
            case SUBJECT_ALTERNATIVE_NAME, ISSUER_ALTERNATIVE_NAME -> {
                for (GeneralName n : GeneralNames.getInstance(value).getNames()) {
                    v.add(generalName(n));
                }
            }
            case NAME_CONSTRAINTS -> {
                NameConstraints nc = NameConstraints.getInstance(value);
                subtrees(nc.getPermittedSubtrees(), "permitted", v);
                subtrees(nc.getExcludedSubtrees(), "excluded", v);
            }
            case CRL_DISTRIBUTION_POINTS -> {
                for (DistributionPoint dp : CRLDistPoint.getInstance(value).getDistributionPoints()) {
                    DistributionPointName name = dp.getDistributionPoint();
                    if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                        for (GeneralName n : GeneralNames.getInstance(name.getName()).getNames()) {
                            v.add(generalName(n));
                        }
                    } else {
                        v.add("(distribution point without a full name)");
                    }
                }
            }
            case AUTHORITY_INFORMATION_ACCESS -> {
                for (AccessDescription ad : AuthorityInformationAccess.getInstance(value).getAccessDescriptions()) {
                    ASN1ObjectIdentifier method = ad.getAccessMethod();
                    String label = method.equals(AccessDescription.id_ad_ocsp) ? "OCSP"
                            : method.equals(AccessDescription.id_ad_caIssuers) ? "CA Issuers" : method.getId();
                    v.add(label + " - " + generalName(ad.getAccessLocation()));
                }
            }
            case CERTIFICATE_POLICIES -> {
                for (PolicyInformation p : CertificatePolicies.getInstance(value).getPolicyInformation()) {
                    v.add("Policy: " + p.getPolicyIdentifier().getId());
                }
            }
            default -> v.add(value.length + " bytes: " + shortHex(value));
        }
        return v;
    }

    private static void subtrees(GeneralSubtree[] trees, String kind, List<String> v) {
        if (trees == null) {
            return;
        }
        for (GeneralSubtree t : trees) {
            v.add(kind + ": " + generalName(t.getBase()));
        }
    }

    private static String generalName(GeneralName n) {
        return switch (n.getTagNo()) {
            case GeneralName.dNSName -> "DNS:" + n.getName();
            case GeneralName.uniformResourceIdentifier -> "URI:" + n.getName();
            case GeneralName.rfc822Name -> "email:" + n.getName();
            case GeneralName.iPAddress -> "IP:" + ip(ASN1OctetString.getInstance(n.getName()).getOctets());
            case GeneralName.directoryName -> "DirName:" + directoryName(n);
            case GeneralName.registeredID -> "RID:" + n.getName();
            case GeneralName.otherName -> "othername:" + otherNameOid(n);
            default -> "name of type " + n.getTagNo();
        };
    }

    private static String directoryName(GeneralName n) {
        try {
            return new X500Principal(n.getName().toASN1Primitive().getEncoded(ASN1Encoding.DER)).getName();
        } catch (java.io.IOException | IllegalArgumentException e) {
            return n.getName().toString();
        }
    }

    private static String otherNameOid(GeneralName n) {
        try {
            var seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(n.getName());
            return ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0)).getId();
        } catch (RuntimeException e) {
            return "(unreadable)";
        }
    }

    /// An address (4 or 16 octets) or, in name constraints, an address and mask (8 or 32 octets) as CIDR.
    private static String ip(byte[] octets) {
        try {
            if (octets.length == 4 || octets.length == 16) {
                return InetAddress.getByAddress(octets).getHostAddress();
            }
            if (octets.length == 8 || octets.length == 32) {
                int half = octets.length / 2;
                byte[] addr = java.util.Arrays.copyOfRange(octets, 0, half);
                byte[] mask = java.util.Arrays.copyOfRange(octets, half, octets.length);
                int prefix = new BigInteger(1, mask).bitCount();
                return InetAddress.getByAddress(addr).getHostAddress() + "/" + prefix;
            }
        } catch (UnknownHostException e) {
            // falls through to the hex form
        }
        return "(" + octets.length + " octets) " + shortHex(octets);
    }

    private static String colonHex(byte[] b) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(b);
    }

    private static String shortHex(byte[] b) {
        String hex = HexFormat.of().formatHex(b, 0, Math.min(b.length, 32));
        return b.length > 32 ? hex + "..." : hex;
    }
}
