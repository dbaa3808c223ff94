package io.certwright.ca.profile;

import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/// Everything about a certificate decided before it is built: the CA fills this in after policy has
/// accepted the request, and the X.509 layer turns it into a to-be-signed certificate without further choices.
///
/// @param serial the serial number
/// @param issuer the signing CA
/// @param subject the subject name, possibly empty
/// @param subjectPublicKey the subject's public key
/// @param subjectKeyFamily the family of that key (decides key usage bits)
/// @param validity the validity window, already backdated and capped
/// @param profile the profile deciding basic constraints, key usage and EKU
/// @param names the subject alternative names
/// @param pathLength pathLenConstraint for CA profiles, if any
/// @param nameConstraints permitted subtrees for CA profiles
/// @param revocationUrls CRL and AIA URLs
/// @param mustStaple whether to add the TLS feature extension with `status_request`
///     ([RFC 7633](https://www.rfc-editor.org/rfc/rfc7633)), telling TLS clients to insist on a stapled OCSP response
public record CertificateTemplate(SerialNumber serial, IssuerInfo issuer, X500Principal subject,
        PublicKey subjectPublicKey, KeyAlgorithm.Family subjectKeyFamily, Validity validity, Profile profile,
        SubjectNames names, Optional<Integer> pathLength, NameConstraints nameConstraints,
        RevocationUrls revocationUrls, boolean mustStaple) {

    /// A template without must-staple.
    public CertificateTemplate(SerialNumber serial, IssuerInfo issuer, X500Principal subject,
            PublicKey subjectPublicKey, KeyAlgorithm.Family subjectKeyFamily, Validity validity, Profile profile,
            SubjectNames names, Optional<Integer> pathLength, NameConstraints nameConstraints,
            RevocationUrls revocationUrls) {
        this(serial, issuer, subject, subjectPublicKey, subjectKeyFamily, validity, profile, names, pathLength,
                nameConstraints, revocationUrls, false);
    }

    public CertificateTemplate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(subjectPublicKey, "subjectPublicKey");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(names, "names");
    }

    /// Whether subject and issuer are the same entity (a self-signed root).
    public boolean selfSigned() {
        return profile == Profile.ROOT;
    }
}
