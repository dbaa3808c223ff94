package io.certwright.ca.internal.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.CertStatus;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ocsp.SingleResponse;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.jspecify.annotations.Nullable;

/// OCSP messages ([RFC 6960](https://www.rfc-editor.org/rfc/rfc6960)) through Bouncy Castle's ASN.1 classes:
/// strict parsing of requests in the [RFC 5019](https://www.rfc-editor.org/rfc/rfc5019) profile, and
/// building of responses whose signature the caller computes through its own key.
public final class OcspCodec {

    /// Longest nonce accepted, in octets ([RFC 8954 §2.1](https://www.rfc-editor.org/rfc/rfc8954#section-2.1)).
    public static final int MAX_NONCE_OCTETS = 32;

    /// Hash algorithms a CertID may use, by OID, to their JCA digest names.
    private static final Map<ASN1ObjectIdentifier, String> DIGESTS = Map.of(
            OIWObjectIdentifiers.idSHA1, "SHA-1",
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512");

    private OcspCodec() {
    }

    /// The digest names CertIDs may be hashed with, in JCA spelling.
    public static List<String> supportedDigests() {
        return List.of("SHA-1", "SHA-256", "SHA-384", "SHA-512");
    }

    /// A request that could not be read or breaks the RFC 5019 profile.
    public static final class MalformedRequestException extends Exception {

        private static final long serialVersionUID = 1L;

        MalformedRequestException(String message) {
            super(message);
        }
    }

    /// The one certificate an RFC 5019 request asks about.
    ///
    /// @param certIdDer the request's CertID, DER, for echoing in the response
    /// @param digest JCA name of the CertID's hash algorithm; empty when it is not one this codec knows
    /// @param hashAlgorithmOid the CertID's hash algorithm OID
    /// @param issuerNameHash hash of the issuer's DER subject name
    /// @param issuerKeyHash hash of the issuer's public key bits
    /// @param serial the serial number asked about, as the request encodes it (may be zero or negative)
    /// @param nonceExtension the DER of the request's nonce extension, to echo; null when absent
    @SuppressWarnings("ArrayRecordComponent") // short-lived parse result, never compared
    public record CertRequest(byte[] certIdDer, Optional<String> digest, String hashAlgorithmOid,
            byte[] issuerNameHash, byte[] issuerKeyHash, BigInteger serial, byte @Nullable [] nonceExtension) {
    }

    /// Parses an `OCSPRequest` holding exactly one `Request`. Signed requests are accepted and their
    /// signature ignored, as RFC 5019 §2.1.2 permits; `requestorName` is ignored.
    ///
    /// @throws MalformedRequestException when the bytes are not one DER/BER `OCSPRequest`, carry trailing
    ///     data, have a version other than v1, hold zero or several requests, use hash-algorithm parameters
    ///     other than NULL, carry a nonce of more than [#MAX_NONCE_OCTETS] octets, or mark an unknown
    ///     extension critical
    public static CertRequest parseRequest(byte[] der) throws MalformedRequestException {
        try {
            return parse(der);
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle signals structure errors with IllegalArgumentException, ClassCastException,
            // IllegalStateException or index errors; all of them mean the request is malformed.
            throw new MalformedRequestException("not an OCSP request: " + e.getClass().getSimpleName());
        } catch (StackOverflowError e) {
            // Nesting thousands of constructed elements deep within the size limit exhausts the parser's
            // recursion; it holds no lock or resource, so the request is simply refused.
            throw new MalformedRequestException("not an OCSP request: nested too deeply");
        }
    }

    private static CertRequest parse(byte[] der) throws IOException, MalformedRequestException {
        ASN1Primitive top = ASN1Primitive.fromByteArray(der);
        ASN1Sequence outer = ASN1Sequence.getInstance(top);
        if (outer.size() < 1 || outer.size() > 2) {
            throw new MalformedRequestException("OCSPRequest must have one or two elements");
        }
        if (outer.size() == 2 && !(outer.getObjectAt(1) instanceof ASN1TaggedObject t && t.getTagNo() == 0)) {
            throw new MalformedRequestException("unexpected element after tbsRequest");
        }
        OCSPRequest request = OCSPRequest.getInstance(outer);
        TBSRequest tbs = request.getTbsRequest();
        if (tbs.getVersion().getValue().signum() != 0) {
            throw new MalformedRequestException("only version 1 requests are supported");
        }
        ASN1Sequence list = tbs.getRequestList();
        if (list.size() != 1) {
            throw new MalformedRequestException("a request must ask about exactly one certificate; it asks about "
                    + list.size());
        }
        Request single = Request.getInstance(list.getObjectAt(0));
        CertID id = single.getReqCert();
        AlgorithmIdentifier alg = id.getHashAlgorithm();
        ASN1Encodable params = alg.getParameters();
        if (params != null && !DERNull.INSTANCE.equals(params.toASN1Primitive())) {
            throw new MalformedRequestException("hash algorithm parameters must be absent or NULL");
        }
        Optional<String> digest = Optional.ofNullable(DIGESTS.get(alg.getAlgorithm()));
        refuseUnknownCritical(single.getSingleRequestExtensions(), false);
        byte[] nonce = refuseUnknownCritical(tbs.getRequestExtensions(), true);
        return new CertRequest(id.getEncoded(ASN1Encoding.DER), digest, alg.getAlgorithm().getId(),
                id.getIssuerNameHash().getOctets(), id.getIssuerKeyHash().getOctets(), id.getSerialNumber().getValue(),
                nonce);
    }

    /// Checks extensions and returns the DER of the nonce extension, when `nonceAllowed` and present.
    private static byte @Nullable [] refuseUnknownCritical(@Nullable Extensions extensions, boolean nonceAllowed)
            throws IOException, MalformedRequestException {
        if (extensions == null) {
            return null;
        }
        byte[] nonce = null;
        for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
            Extension e = extensions.getExtension(oid);
            if (nonceAllowed && oid.equals(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)) {
                int length = nonceLength(e.getExtnValue().getOctets());
                if (length < 1 || length > MAX_NONCE_OCTETS) {
                    throw new MalformedRequestException("nonce of " + length + " octets; 1 to " + MAX_NONCE_OCTETS
                            + " are accepted");
                }
                nonce = e.getEncoded(ASN1Encoding.DER);
            } else if (e.isCritical()) {
                throw new MalformedRequestException("unsupported critical extension " + oid.getId());
            }
        }
        return nonce;
    }

    /// The nonce's length: the content of the OCTET STRING the extension value should hold (RFC 8954), or the
    /// raw value's length for clients that put the nonce there directly.
    private static int nonceLength(byte[] value) {
        if (value.length >= 2 && value[0] == BERTags.OCTET_STRING) {
            try {
                return ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(value)).getOctets().length;
            } catch (IOException | RuntimeException e) {
                return value.length;
            }
        }
        return value.length;
    }

    /// An `OCSPResponse` carrying only an error status (no response bytes).
    public static byte[] statusOnly(int status) {
        if (status == OCSPResponseStatus.SUCCESSFUL) {
            throw new IllegalArgumentException("a successful response needs response bytes");
        }
        return encode(new OCSPResponse(new OCSPResponseStatus(status), null));
    }

    /// The bits of the `subjectPublicKey` BIT STRING of a key: what a CertID's issuerKeyHash and a responder
    /// ID `byKey` are hashes of.
    public static byte[] publicKeyBits(PublicKey key) {
        return SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
    }

    /// The status of one certificate, for a `SingleResponse`.
    ///
    /// @param tag 0 good, 1 revoked, 2 unknown
    /// @param revokedAt revocation time when revoked
    /// @param reasonCode CRLReason code when revoked; 0 (`unspecified`) is written as no reason
    public record Status(int tag, @Nullable Instant revokedAt, int reasonCode) {

        public static final Status GOOD = new Status(0, null, 0);
        public static final Status UNKNOWN = new Status(2, null, 0);

        public static Status revoked(Instant at, int reasonCode) {
            return new Status(1, at, reasonCode);
        }
    }

    /// The DER of a `ResponseData` answering one CertID: the bytes the responder signs.
    ///
    /// @param responderKeyHash SHA-1 of the signer's public key bits (responder ID `byKey`)
    /// @param producedAt when the response was made
    /// @param certIdDer the CertID as the request sent it
    /// @param status the certificate's status
    /// @param thisUpdate when the status was known correct
    /// @param nextUpdate when newer information will be available
    /// @param nonceExtension the request's nonce extension to echo, or null
    public static byte[] responseData(byte[] responderKeyHash, Instant producedAt, byte[] certIdDer, Status status,
            Instant thisUpdate, Instant nextUpdate, byte @Nullable [] nonceExtension) {
        CertStatus certStatus = switch (status.tag()) {
            case 0 -> new CertStatus();
            case 1 -> new CertStatus(status.reasonCode() == 0
                    ? new RevokedInfo(X509Time.generalized(java.util.Objects.requireNonNull(status.revokedAt())))
                    : new RevokedInfo(X509Time.generalized(java.util.Objects.requireNonNull(status.revokedAt())),
                            CRLReason.lookup(status.reasonCode())));
            case 2 -> new CertStatus(2, DERNull.INSTANCE);
            default -> throw new IllegalArgumentException("unknown certificate status " + status.tag());
        };
        SingleResponse single = new SingleResponse(CertID.getInstance(certIdDer), certStatus,
                X509Time.generalized(thisUpdate), X509Time.generalized(nextUpdate), (Extensions) null);
        Extensions extensions = nonceExtension == null ? null
                : new Extensions(Extension.getInstance(nonceExtension));
        ResponseData data = new ResponseData(new ResponderID(new DEROctetString(responderKeyHash)),
                X509Time.generalized(producedAt), new DERSequence(single), extensions);
        return encode(data);
    }

    /// The DER of a certs field: the certificates to include with a response, encoded once per signer.
    public static byte[] certificates(List<X509Certificate> certs) throws CertificateEncodingException {
        ASN1EncodableVector v = new ASN1EncodableVector(certs.size());
        for (X509Certificate c : certs) {
            v.add(Certificate.getInstance(c.getEncoded()));
        }
        return encode(new DERSequence(v));
    }

    /// A successful `OCSPResponse` around a signed `BasicOCSPResponse`.
    ///
    /// @param responseDataDer what [#responseData] returned, and was signed
    /// @param signatureAlgorithm JCA name of the signature algorithm
    /// @param signature the signature over `responseDataDer`
    /// @param certificatesDer what [#certificates] returned; empty for none
    public static byte[] response(byte[] responseDataDer, String signatureAlgorithm, byte[] signature,
            byte[] certificatesDer) {
        ASN1Sequence certs = certificatesDer.length == 0 ? null : ASN1Sequence.getInstance(certificatesDer);
        BasicOCSPResponse basic = new BasicOCSPResponse(ResponseData.getInstance(responseDataDer),
                TbsBuilder.signatureAlgorithm(signatureAlgorithm), new DERBitString(signature), certs);
        return encode(new OCSPResponse(new OCSPResponseStatus(OCSPResponseStatus.SUCCESSFUL),
                new ResponseBytes(OCSPObjectIdentifiers.id_pkix_ocsp_basic, new DEROctetString(encode(basic)))));
    }

    private static byte[] encode(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
