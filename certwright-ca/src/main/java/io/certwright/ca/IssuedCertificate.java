package io.certwright.ca;

import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.SerialNumber;
import java.security.cert.X509Certificate;
import java.util.List;

/// A signed certificate, already recorded in the ledger.
///
/// @param certificate the leaf
/// @param chain the issuing CA certificates, from the issuer up to but excluding the root
/// @param notes adjustments the CA made, such as a lifetime capped at the issuer's expiry
/// @param names the subject alternative names, in the certificate's order (what the CA encoded, so callers
///     need not parse the certificate to learn them)
public record IssuedCertificate(X509Certificate certificate, List<X509Certificate> chain, List<String> notes,
        SubjectNames names) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
        notes = List.copyOf(notes);
    }

    public SerialNumber serial() {
        return new SerialNumber(certificate.getSerialNumber());
    }

    /// The leaf followed by the chain, as TLS servers send it.
    public List<X509Certificate> fullChain() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(certificate), chain.stream()).toList();
    }
}
