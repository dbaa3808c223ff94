package io.certwright.ca.internal.x509;

import io.certwright.ca.profile.NameConstraints;
import io.certwright.core.TrustDomain;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;

/// Reads the permitted DNS and SPIFFE subtrees of a CA certificate, so requests outside them are refused
/// by policy instead of producing certificates that fail path validation.
public final class NameConstraintsReader {

    private NameConstraintsReader() {
    }

    public static NameConstraints read(X509Certificate ca) {
        byte[] ext = ca.getExtensionValue(Extension.nameConstraints.getId());
        if (ext == null) {
            return NameConstraints.none();
        }
        var nc = org.bouncycastle.asn1.x509.NameConstraints.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        List<String> dns = new ArrayList<>();
        List<TrustDomain> tds = new ArrayList<>();
        GeneralSubtree[] permitted = nc.getPermittedSubtrees();
        if (permitted != null) {
            for (GeneralSubtree t : permitted) {
                GeneralName n = t.getBase();
                if (n.getTagNo() == GeneralName.dNSName) {
                    dns.add(n.getName().toString().toLowerCase(java.util.Locale.ROOT));
                } else if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    try {
                        tds.add(TrustDomain.parse(n.getName().toString()));
                    } catch (IllegalArgumentException e) {
                        // A URI constraint that is no trust domain admits no SPIFFE ID; keep the list non-empty.
                        tds.add(new TrustDomain("invalid.invalid"));
                    }
                }
            }
        }
        return new NameConstraints(dns, tds);
    }
}
