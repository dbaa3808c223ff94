package io.certwright.ca.revocation;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.jspecify.annotations.Nullable;

/// Hand-assembled OCSP requests for cases real clients never send.
final class OcspRequests {

    static final ASN1ObjectIdentifier SHA1 = OIWObjectIdentifiers.idSHA1;
    static final ASN1ObjectIdentifier SHA256 = NISTObjectIdentifiers.id_sha256;

    private OcspRequests() {
    }

    static CertID certId(ASN1ObjectIdentifier alg, String digest, X509Certificate issuer, BigInteger serial)
            throws Exception {
        return certId(new AlgorithmIdentifier(alg, DERNull.INSTANCE), digest, issuer, issuer, serial);
    }

    /// A CertID whose name hash comes from `nameOf` and key hash from `keyOf`.
    static CertID certId(AlgorithmIdentifier alg, String digest, X509Certificate nameOf, X509Certificate keyOf,
            BigInteger serial) throws Exception {
        byte[] name = MessageDigest.getInstance(digest).digest(nameOf.getSubjectX500Principal().getEncoded());
        byte[] key = MessageDigest.getInstance(digest).digest(
                SubjectPublicKeyInfo.getInstance(keyOf.getPublicKey().getEncoded()).getPublicKeyData().getBytes());
        return new CertID(alg, new DEROctetString(name), new DEROctetString(key), new ASN1Integer(serial));
    }

    static Extension nonce(byte[] value) throws IOException {
        return new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(new DEROctetString(value)));
    }

    /// `OCSPRequest ::= SEQUENCE { TBSRequest }` with the given version (null: omitted), requests and extensions.
    static byte[] request(@Nullable Integer version, List<CertID> ids, Extension... extensions) throws IOException {
        ASN1EncodableVector tbs = new ASN1EncodableVector();
        if (version != null) {
            tbs.add(new DERTaggedObject(true, 0, new ASN1Integer(version)));
        }
        ASN1EncodableVector list = new ASN1EncodableVector();
        for (CertID id : ids) {
            list.add(new Request(id, null));
        }
        tbs.add(new DERSequence(list));
        if (extensions.length > 0) {
            tbs.add(new DERTaggedObject(true, 2, new Extensions(extensions)));
        }
        return new DERSequence(new ASN1Encodable[] {new DERSequence(tbs)}).getEncoded(ASN1Encoding.DER);
    }

    static byte[] request(CertID id, Extension... extensions) throws IOException {
        return request(null, List.of(id), extensions);
    }
}
