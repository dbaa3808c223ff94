package io.certwright.ca;

import io.certwright.ca.internal.x509.CsrBuilder;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.SubjectNames;
import java.security.GeneralSecurityException;
import java.util.Optional;

/// Creating PKCS#10 certificate signing requests, for `certwright csr` and for clients of the CA.
public final class Csrs {

    private Csrs() {
    }

    /// DER of a CSR for the key's public key, signed with it (proof of possession), requesting `names`.
    public static byte[] create(SigningKey key, SubjectNames names, Optional<String> commonName)
            throws GeneralSecurityException {
        return CsrBuilder.build(key, names, commonName);
    }
}
