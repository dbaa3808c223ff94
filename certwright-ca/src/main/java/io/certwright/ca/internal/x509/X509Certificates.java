package io.certwright.ca.internal.x509;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
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

    /// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`, encoded directly
    /// around the exact to-be-signed bytes that were signed (never re-encoded), and returned without a JDK
    /// parse until someone needs more than the encoding (see [DeferredX509Certificate]).
    public static X509Certificate assemble(byte[] tbsDer, AlgorithmIdentifier signatureAlgorithm, byte[] signature)
            throws CertificateException {
        return new DeferredX509Certificate(envelope(tbsDer, signatureAlgorithm, signature), null);
    }

    /// As [#assemble(byte[], AlgorithmIdentifier, byte[])], for a certificate whose serial, names and key the
    /// caller encoded into `tbsDer` itself and passes as `known`, so they are answered without a parse.
    static X509Certificate assemble(byte[] tbsDer, AlgorithmIdentifier signatureAlgorithm, byte[] signature,
            DeferredX509Certificate.Known known) throws CertificateException {
        return new DeferredX509Certificate(envelope(tbsDer, signatureAlgorithm, signature), known);
    }

    private static byte[] envelope(byte[] tbsDer, AlgorithmIdentifier signatureAlgorithm, byte[] signature)
            throws CertificateException {
        try {
            return signed(tbsDer, signatureAlgorithm, signature);
        } catch (IllegalStateException e) {
            throw new CertificateException("cannot encode the signature algorithm", e);
        }
    }

    /// `SEQUENCE { tbs, signatureAlgorithm, BIT STRING signature }`, the envelope shared by certificates and
    /// CRLs ([RFC 5280 §5.1](https://www.rfc-editor.org/rfc/rfc5280#section-5.1)), written around the exact
    /// to-be-signed bytes so a large CRL is never re-encoded after signing.
    static byte[] signed(byte[] tbsDer, AlgorithmIdentifier signatureAlgorithm, byte[] signature) {
        byte[] alg;
        try {
            alg = signatureAlgorithm.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the signature algorithm", e);
        }
        int bitStringLength = signature.length + 1;
        int contentLength = tbsDer.length + alg.length + 1 + lengthOfLength(bitStringLength) + bitStringLength;
        byte[] out = new byte[1 + lengthOfLength(contentLength) + contentLength];
        int i = 0;
        out[i++] = 0x30;
        i = writeLength(out, i, contentLength);
        System.arraycopy(tbsDer, 0, out, i, tbsDer.length);
        i += tbsDer.length;
        System.arraycopy(alg, 0, out, i, alg.length);
        i += alg.length;
        out[i++] = 0x03;
        i = writeLength(out, i, bitStringLength);
        out[i++] = 0x00;
        System.arraycopy(signature, 0, out, i, signature.length);
        return out;
    }

    /// As [#assemble(byte[], AlgorithmIdentifier, byte[])], parsed at once; for CA certificates, which are
    /// made rarely and inspected immediately.
    public static X509Certificate assembleParsed(byte[] tbsDer, AlgorithmIdentifier signatureAlgorithm,
            byte[] signature) throws CertificateException {
        return parse(assemble(tbsDer, signatureAlgorithm, signature).getEncoded());
    }

    private static int lengthOfLength(int length) {
        if (length < 0x80) {
            return 1;
        }
        int bytes = 0;
        for (int l = length; l > 0; l >>>= 8) {
            bytes++;
        }
        return 1 + bytes;
    }

    private static int writeLength(byte[] out, int at, int length) {
        int i = at;
        if (length < 0x80) {
            out[i++] = (byte) length;
            return i;
        }
        int bytes = lengthOfLength(length) - 1;
        out[i++] = (byte) (0x80 | bytes);
        for (int b = bytes - 1; b >= 0; b--) {
            out[i++] = (byte) (length >>> (8 * b));
        }
        return i;
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
