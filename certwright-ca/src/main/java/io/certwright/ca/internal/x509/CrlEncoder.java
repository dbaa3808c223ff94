package io.certwright.ca.internal.x509;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/// Builds X.509 v2 CRLs ([RFC 5280 §5](https://www.rfc-editor.org/rfc/rfc5280#section-5)).
///
/// The header fields and extensions are Bouncy Castle objects. The entries are not: a CRL may list
/// 100,000 certificates, and building, length-counting and encoding an object tree per entry (or
/// `X509v2CRLBuilder`'s `SimpleDateFormat` conversion per entry) costs seconds when the JIT is cold. Each
/// entry is written once as `SEQUENCE { INTEGER serial, Time revocationDate [, Extensions] }`, the time by
/// [X509Time#der], the reason-code extensions pre-encoded by Bouncy Castle and shared.
///
/// Use: [#begin], [Builder#add] per entry, [Builder#tbsDer], sign, then [#assemble].
public final class CrlEncoder {

    private static final ASN1Integer VERSION_2 = new ASN1Integer(1);
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    /// CRLReason code to the DER of the entry extensions that carry it; `unspecified` (0) is omitted, as
    /// RFC 5280 §5.3.1 asks.
    private static final Map<Integer, byte[]> REASON_EXTENSIONS = reasonExtensions();

    private CrlEncoder() {
    }

    private static Map<Integer, byte[]> reasonExtensions() {
        Map<Integer, byte[]> m = new HashMap<>();
        for (int code = 1; code <= 10; code++) {
            if (code == 7) {
                continue; // value 7 is not used by RFC 5280
            }
            try {
                m.put(code, new Extensions(new Extension(Extension.reasonCode, false,
                        new DEROctetString(new ASN1Enumerated(code).getEncoded(ASN1Encoding.DER))))
                        .getEncoded(ASN1Encoding.DER));
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode CRLReason", e);
            }
        }
        return Map.copyOf(m);
    }

    /// Starts a CRL issued by `issuer`.
    ///
    /// @param issuer the CA certificate; the CRL's issuer name is its subject, byte for byte, and the
    ///     authority key identifier is its subject key identifier
    /// @param signatureAlgorithm JCA name of the algorithm the CA's key signs with
    /// @param number the cRLNumber, 0 to 2^159 - 1
    /// @param thisUpdate issue time (whole seconds are used)
    /// @param nextUpdate when the next CRL will be issued, after `thisUpdate`
    public static Builder begin(X509Certificate issuer, String signatureAlgorithm, BigInteger number,
            Instant thisUpdate, Instant nextUpdate) {
        if (number.signum() < 0 || number.bitLength() > 159) {
            throw new IllegalArgumentException("a CRL number must be a non-negative integer of at most 20 octets");
        }
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("nextUpdate " + nextUpdate + " must be after thisUpdate " + thisUpdate);
        }
        return new Builder(issuer, signatureAlgorithm, number, thisUpdate, nextUpdate);
    }

    /// The signed CRL: `CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }`.
    public static byte[] assemble(byte[] tbsDer, String signatureAlgorithm, byte[] signature) {
        return X509Certificates.signed(tbsDer, TbsBuilder.signatureAlgorithm(signatureAlgorithm), signature);
    }

    /// Collects the entries of one CRL. Not thread-safe; one builder per CRL.
    public static final class Builder {

        private final X509Certificate issuer;
        private final String signatureAlgorithm;
        private final BigInteger number;
        private final Instant thisUpdate;
        private final Instant nextUpdate;
        private final DerBuffer entries = new DerBuffer(1 << 16);
        private final Set<BigInteger> serials = new HashSet<>();
        private long lastSecond = Long.MIN_VALUE;
        private byte[] lastTime = new byte[0];

        private Builder(X509Certificate issuer, String signatureAlgorithm, BigInteger number, Instant thisUpdate,
                Instant nextUpdate) {
            this.issuer = issuer;
            this.signatureAlgorithm = signatureAlgorithm;
            this.number = number;
            this.thisUpdate = thisUpdate;
            this.nextUpdate = nextUpdate;
        }

        /// Adds one revoked certificate.
        ///
        /// @param serial its serial number, positive
        /// @param revokedAt when it was revoked (whole seconds are used)
        /// @param reasonCode its CRLReason code; 0 (`unspecified`) writes no reason extension
        /// @throws IllegalArgumentException when the serial is not positive or was added before, or the reason
        ///     code is unknown
        public Builder add(BigInteger serial, Instant revokedAt, int reasonCode) {
            byte[] reason = REASON_EXTENSIONS.get(reasonCode);
            if (reason == null && reasonCode != 0) {
                throw new IllegalArgumentException("unknown CRLReason code " + reasonCode);
            }
            if (serial.signum() <= 0) {
                throw new IllegalArgumentException("serial " + serial + " is not positive");
            }
            if (!serials.add(serial)) {
                throw new IllegalArgumentException("serial " + serial.toString(16) + " is listed twice");
            }
            long second = revokedAt.getEpochSecond();
            if (second != lastSecond) {
                lastTime = X509Time.der(revokedAt);
                lastSecond = second;
            }
            byte[] serialBytes = serial.toByteArray();
            int serialLength = DerBuffer.headerLength(serialBytes.length) + serialBytes.length;
            int content = serialLength + lastTime.length + (reason == null ? 0 : reason.length);
            entries.header(SEQUENCE, content);
            entries.header(INTEGER, serialBytes.length);
            entries.write(serialBytes);
            entries.write(lastTime);
            if (reason != null) {
                entries.write(reason);
            }
            return this;
        }

        /// How many entries were added.
        public int size() {
            return serials.size();
        }

        /// The DER of the `TBSCertList`: the exact bytes to sign.
        public byte[] tbsDer() {
            byte[] head;
            byte[] extensions;
            try {
                ASN1EncodableVector h = new ASN1EncodableVector(5);
                h.add(VERSION_2);
                h.add(TbsBuilder.signatureAlgorithm(signatureAlgorithm));
                h.add(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()));
                h.add(X509Time.encode(thisUpdate));
                h.add(X509Time.encode(nextUpdate));
                ByteArrayOutputStream fields = new ByteArrayOutputStream();
                for (int i = 0; i < h.size(); i++) {
                    fields.write(h.get(i).toASN1Primitive().getEncoded(ASN1Encoding.DER));
                }
                head = fields.toByteArray();
                extensions = new DERTaggedObject(true, 0, new Extensions(new Extension[] {
                        extension(Extension.authorityKeyIdentifier,
                                new AuthorityKeyIdentifier(X509Certificates.subjectKeyIdentifier(issuer))),
                        extension(Extension.cRLNumber, new ASN1Integer(number))})).getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode TBSCertList", e);
            }
            int revoked = entries.size() == 0 ? 0 : DerBuffer.headerLength(entries.size()) + entries.size();
            int content = head.length + revoked + extensions.length;
            DerBuffer tbs = new DerBuffer(DerBuffer.headerLength(content) + content);
            tbs.header(SEQUENCE, content);
            tbs.write(head);
            if (entries.size() > 0) {
                tbs.header(SEQUENCE, entries.size());
                entries.writeTo(tbs);
            }
            tbs.write(extensions);
            return tbs.toByteArray();
        }

        private static Extension extension(ASN1ObjectIdentifier oid, ASN1Encodable value) throws IOException {
            return new Extension(oid, false, new DEROctetString(value.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
        }
    }
}
