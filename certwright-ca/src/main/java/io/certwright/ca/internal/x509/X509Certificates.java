package io.certwright.ca.internal.x509;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;

/// Assembles signed certificates and reads key identifiers from existing ones.
public final class X509Certificates {

    private static final ThreadLocal<CertificateFactory> FACTORY = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is part of every JDK", e);
        }
    });

    private X509Certificates() {
    }

    /// DER of a to-be-signed certificate: the exact bytes the signature covers.
    public static byte[] encode(TBSCertificate tbs) {
        try {
            return tbs.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode TBSCertificate", e);
        }
    }

    /// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`.
    public static X509Certificate assemble(TBSCertificate tbs, byte[] signature) throws CertificateException {
        AlgorithmIdentifier alg = tbs.getSignature();
        DERSequence cert = new DERSequence(new ASN1Encodable[] {tbs, alg, new DERBitString(signature)});
        try {
            return parse(cert.getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new CertificateException("cannot encode certificate", e);
        }
    }

    public static X509Certificate parse(byte[] der) throws CertificateException {
        return (X509Certificate) FACTORY.get().generateCertificate(new ByteArrayInputStream(der));
    }

    /// The subject key identifier of a certificate: its SKI extension if present, else computed as
    /// RFC 5280 method 1 would.
    public static byte[] subjectKeyIdentifier(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext != null) {
            Optional<byte[]> id = Optional.of(ASN1OctetString.getInstance(ext).getOctets())
                    .map(o -> SubjectKeyIdentifier.getInstance(o).getKeyIdentifier());
            if (id.isPresent()) {
                return id.get();
            }
        }
        return TbsBuilder.keyIdentifier(SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded()));
    }
}
