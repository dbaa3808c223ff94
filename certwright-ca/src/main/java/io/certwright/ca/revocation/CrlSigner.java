package io.certwright.ca.revocation;

import io.certwright.ca.Issuer;
import io.certwright.ca.internal.x509.CrlEncoder;
import io.certwright.ca.keys.SigningKey;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;

/// Issues the full CRL of one CA: X.509 v2, the CA certificate's subject as issuer name (same encoding),
/// its subject key identifier as authority key identifier, the caller's CRL number, thisUpdate and
/// nextUpdate, and one entry per revoked certificate with its revocation date and, unless `unspecified`,
/// its reason code.
///
/// The CRL is signed through the same [SigningKey] seam as certificates, with one signature however many
/// entries it has. The root's CRL, listing revoked intermediates, is made the same way with the root's key.
///
/// Choosing the number (monotonic across replicas) and which entries to list is the caller's part; see
/// [CrlEntry#notExpiredBeyond(Instant, java.time.Duration)] for dropping long-expired certificates. Thread-safe.
public final class CrlSigner {

    private final X509Certificate ca;
    private final SigningKey key;

    /// A signer for the CRLs of `ca`.
    ///
    /// @throws IllegalArgumentException when `key` does not belong to `ca`, or `ca` may not sign CRLs
    public CrlSigner(X509Certificate ca, SigningKey key) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.key = Objects.requireNonNull(key, "key");
        if (!Arrays.equals(ca.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the signing key does not belong to the CA certificate");
        }
        boolean[] usage = ca.getKeyUsage();
        if (ca.getBasicConstraints() < 0 || (usage != null && (usage.length < 7 || !usage[6]))) {
            throw new IllegalArgumentException("the certificate " + ca.getSubjectX500Principal().getName()
                    + " is not a CA allowed to sign CRLs (cA and cRLSign)");
        }
    }

    /// A signer for the CRLs of the issuing CA.
    public static CrlSigner of(Issuer issuer) {
        return new CrlSigner(issuer.certificate(), issuer.key());
    }

    /// The CA whose CRLs this signs.
    public X509Certificate ca() {
        return ca;
    }

    /// Signs a CRL listing `entries`, in the order given.
    ///
    /// @param number the cRLNumber: non-negative, at most 20 octets, larger than any earlier CRL's
    /// @param thisUpdate the issue time; truncated to whole seconds
    /// @param nextUpdate when the next CRL is due; after `thisUpdate`
    /// @throws IllegalArgumentException when a number or time is out of range, or a serial is listed twice
    /// @throws GeneralSecurityException when the key fails to sign
    public CertificateRevocationList sign(BigInteger number, Instant thisUpdate, Instant nextUpdate,
            Iterable<CrlEntry> entries) throws GeneralSecurityException {
        return sign(number, thisUpdate, nextUpdate, entries.iterator());
    }

    /// As [#sign(BigInteger, Instant, Instant, Iterable)] for a stream, which is consumed.
    public CertificateRevocationList sign(BigInteger number, Instant thisUpdate, Instant nextUpdate,
            Stream<CrlEntry> entries) throws GeneralSecurityException {
        return sign(number, thisUpdate, nextUpdate, entries.iterator());
    }

    private CertificateRevocationList sign(BigInteger number, Instant thisUpdate, Instant nextUpdate,
            Iterator<CrlEntry> entries) throws GeneralSecurityException {
        Instant from = thisUpdate.truncatedTo(ChronoUnit.SECONDS);
        Instant until = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
        String algorithm = key.algorithm().signatureAlgorithm();
        CrlEncoder.Builder crl = CrlEncoder.begin(ca, algorithm, number, from, until);
        while (entries.hasNext()) {
            CrlEntry e = entries.next();
            crl.add(e.serial().value(), e.revokedAt(), e.reason().code());
        }
        byte[] tbs = crl.tbsDer();
        byte[] der = CrlEncoder.assemble(tbs, algorithm, key.sign(tbs));
        return CertificateRevocationList.of(number, from, until, crl.size(), der);
    }

    @Override
    public String toString() {
        return "CrlSigner[" + ca.getSubjectX500Principal().getName() + "]";
    }
}
