package io.certwright.ca.inspect;

import io.certwright.ca.internal.x509.CertificateDescriber;
import io.certwright.ca.policy.KeyDescription;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/// Describes certificates and keys for display.
public final class CertificateInspector {

    private CertificateInspector() {
    }

    /// The key and every extension of `certificate`, decoded. Never fails: an extension that does not
    /// decode is described as malformed.
    public static CertificateDetails describe(X509Certificate certificate) {
        return new CertificateDetails(key(certificate.getPublicKey()), CertificateDescriber.extensions(certificate)
                .stream().map(e -> new ExtensionInfo(e.oid(), e.name(), e.critical(), e.values())).toList());
    }

    /// What a public key is; also tells which Certwright key type it is, if any.
    public static KeyInfo key(PublicKey key) {
        KeyDescription d = CertificateDescriber.key(key);
        return new KeyInfo(d.name(), d.bits(), d.standard());
    }
}
