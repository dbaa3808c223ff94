package io.certwright.ca.internal.x509;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Principal;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/// A certificate the CA has just assembled, kept as its DER and parsed by the JDK only when a caller asks
/// for more than the encoding. Issuance hands certificates to the ledger and to protocol encoders, which
/// need only the bytes; parsing every certificate the CA signs would cost a quarter of the Java work of
/// issuance. Equality and hash code are those of [java.security.cert.Certificate]: by encoding.
///
/// What the CA itself put into the certificate (serial, issuer and subject names, public key) it answers
/// from those values without parsing, so that storing a certificate (which needs its serial, issuer and
/// key) does not parse it either.
final class DeferredX509Certificate extends X509Certificate {

    private static final long serialVersionUID = 1L;

    /// The values the CA encoded into the certificate, known without parsing it.
    ///
    /// @param serial the serial number
    /// @param issuer the issuer name, exactly as encoded
    /// @param subject the subject name, exactly as encoded
    /// @param publicKey the subject public key
    /// @param notBefore the start of the validity period, whole seconds as encoded
    /// @param notAfter the end of the validity period, whole seconds as encoded
    /// @param extensionValues each extension's value as [#getExtensionValue] returns it (the DER OCTET
    ///     STRING), by OID
    record Known(BigInteger serial, X500Principal issuer, X500Principal subject, PublicKey publicKey,
            java.time.Instant notBefore, java.time.Instant notAfter, java.util.Map<String, byte[]> extensionValues)
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        Known {
            notBefore = notBefore.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            notAfter = notAfter.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            extensionValues = java.util.Map.copyOf(extensionValues);
        }
    }

    private final byte[] der;
    private final @Nullable Known known;
    private transient volatile @Nullable X509Certificate parsed;

    DeferredX509Certificate(byte[] der, @Nullable Known known) {
        this.der = der.clone();
        this.known = known;
    }

    private X509Certificate parsed() {
        X509Certificate p = parsed;
        if (p == null) {
            try {
                p = X509Certificates.parse(der);
            } catch (CertificateException e) {
                throw new IllegalStateException("a certificate assembled by the CA does not parse", e);
            }
            parsed = p;
        }
        return p;
    }

    @Override
    public byte[] getEncoded() {
        return der.clone();
    }

    @Override
    public void checkValidity() throws CertificateExpiredException, CertificateNotYetValidException {
        parsed().checkValidity();
    }

    @Override
    public void checkValidity(Date date) throws CertificateExpiredException, CertificateNotYetValidException {
        parsed().checkValidity(date);
    }

    @Override
    public int getVersion() {
        return parsed().getVersion();
    }

    @Override
    public BigInteger getSerialNumber() {
        Known k = known;
        return k != null ? k.serial() : parsed().getSerialNumber();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getIssuerDN() {
        return parsed().getIssuerDN();
    }

    @Override
    public X500Principal getIssuerX500Principal() {
        Known k = known;
        return k != null ? k.issuer() : parsed().getIssuerX500Principal();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getSubjectDN() {
        return parsed().getSubjectDN();
    }

    @Override
    public X500Principal getSubjectX500Principal() {
        Known k = known;
        return k != null ? k.subject() : parsed().getSubjectX500Principal();
    }

    @Override
    public Date getNotBefore() {
        Known k = known;
        return k != null ? Date.from(k.notBefore()) : parsed().getNotBefore();
    }

    @Override
    public Date getNotAfter() {
        Known k = known;
        return k != null ? Date.from(k.notAfter()) : parsed().getNotAfter();
    }

    @Override
    public byte[] getTBSCertificate() throws java.security.cert.CertificateEncodingException {
        return parsed().getTBSCertificate();
    }

    @Override
    public byte[] getSignature() {
        return parsed().getSignature();
    }

    @Override
    public String getSigAlgName() {
        return parsed().getSigAlgName();
    }

    @Override
    public String getSigAlgOID() {
        return parsed().getSigAlgOID();
    }

    @Override
    public byte @Nullable [] getSigAlgParams() {
        return parsed().getSigAlgParams();
    }

    @Override
    public boolean @Nullable [] getIssuerUniqueID() {
        return parsed().getIssuerUniqueID();
    }

    @Override
    public boolean @Nullable [] getSubjectUniqueID() {
        return parsed().getSubjectUniqueID();
    }

    @Override
    public boolean @Nullable [] getKeyUsage() {
        return parsed().getKeyUsage();
    }

    @Override
    public @Nullable List<String> getExtendedKeyUsage() throws CertificateParsingException {
        return parsed().getExtendedKeyUsage();
    }

    @Override
    public int getBasicConstraints() {
        return parsed().getBasicConstraints();
    }

    @Override
    public @Nullable Collection<List<?>> getSubjectAlternativeNames() throws CertificateParsingException {
        return parsed().getSubjectAlternativeNames();
    }

    @Override
    public @Nullable Collection<List<?>> getIssuerAlternativeNames() throws CertificateParsingException {
        return parsed().getIssuerAlternativeNames();
    }

    @Override
    public void verify(PublicKey key) throws CertificateException, NoSuchAlgorithmException, InvalidKeyException,
            NoSuchProviderException, SignatureException {
        parsed().verify(key);
    }

    @Override
    public void verify(PublicKey key, String sigProvider) throws CertificateException, NoSuchAlgorithmException,
            InvalidKeyException, NoSuchProviderException, SignatureException {
        parsed().verify(key, sigProvider);
    }

    @Override
    public void verify(PublicKey key, Provider sigProvider) throws CertificateException, NoSuchAlgorithmException,
            InvalidKeyException, SignatureException {
        parsed().verify(key, sigProvider);
    }

    @Override
    public PublicKey getPublicKey() {
        Known k = known;
        return k != null ? k.publicKey() : parsed().getPublicKey();
    }

    @Override
    public boolean hasUnsupportedCriticalExtension() {
        return parsed().hasUnsupportedCriticalExtension();
    }

    @Override
    public @Nullable Set<String> getCriticalExtensionOIDs() {
        return parsed().getCriticalExtensionOIDs();
    }

    @Override
    public @Nullable Set<String> getNonCriticalExtensionOIDs() {
        return parsed().getNonCriticalExtensionOIDs();
    }

    @Override
    public byte @Nullable [] getExtensionValue(String oid) {
        Known k = known;
        if (k != null) {
            byte[] v = k.extensionValues().get(oid);
            return v == null ? null : v.clone();
        }
        return parsed().getExtensionValue(oid);
    }

    @Override
    public String toString() {
        return parsed().toString();
    }
}
