package io.certwright.agent.internal.x509;

import io.certwright.core.SpiffeId;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/// Fresh ECDSA P-256 keys and the PKCS#10 requests that ask for SVIDs for them.
public final class Csrs {

    private Csrs() {
    }

    /// A fresh ECDSA P-256 key pair, made here on the node.
    public static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /// DER of a CSR signed with `pair`'s private key, with an empty subject and the SPIFFE ID (if any) and the
    /// DNS names as subject alternative names.
    public static byte[] create(KeyPair pair, Optional<SpiffeId> spiffeId, List<String> dnsNames)
            throws GeneralSecurityException {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]), pair.getPublic());
        List<GeneralName> names = new ArrayList<>();
        spiffeId.ifPresent(id -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.toString())));
        for (String dns : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        try {
            if (!names.isEmpty()) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())).getEncoded();
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the CSR", e);
        }
    }
}
