package io.certwright.ca;

import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/// A request for a certificate after decoding: what the caller asks for, before policy has looked at it.
///
/// @param profile the certificate profile
/// @param publicKey the subject public key (possession already proven, for CSRs)
/// @param commonName subject CN; when empty the CA picks one from the names or leaves the subject empty
/// @param names requested SANs
/// @param lifetime requested lifetime; the profile default when empty
public record IssuanceRequest(Profile profile, PublicKey publicKey, Optional<String> commonName, SubjectNames names,
        Optional<Duration> lifetime) {

    public IssuanceRequest {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(lifetime, "lifetime");
    }
}
