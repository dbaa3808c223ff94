package io.certwright.ca.internal.x509;

import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.SubjectNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/// Builds PKCS#10 requests signed through the [SigningKey] port.
public final class CsrBuilder {

    private CsrBuilder() {
    }

    /// DER of a CSR for `key`'s public key with the given names.
    public static byte[] build(SigningKey key, SubjectNames names, Optional<String> commonName)
            throws GeneralSecurityException {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        commonName.ifPresent(cn -> subject.addRDN(BCStyle.CN, cn));
        X500Name name = subject.build();
        PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(name,
                SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded()));
        try {
            if (!names.isEmpty()) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false, TbsBuilder.generalNames(names));
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            return b.build(new PortSigner(key)).getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode CSR", e);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof GeneralSecurityException gse) {
                throw gse;
            }
            throw e;
        }
    }

    private static final class PortSigner implements ContentSigner {
        private final SigningKey key;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        PortSigner(SigningKey key) {
            this.key = key;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return TbsBuilder.signatureAlgorithm(key.algorithm().signatureAlgorithm());
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            try {
                return key.sign(buffer.toByteArray());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("signing the CSR failed", e);
            }
        }
    }
}
