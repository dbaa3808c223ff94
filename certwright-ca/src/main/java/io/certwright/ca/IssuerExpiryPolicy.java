package io.certwright.ca;

/// What to do when a requested lifetime would outlive the issuing CA certificate.
public enum IssuerExpiryPolicy {
    /// Refuse the request with [io.certwright.ca.profile.PolicyRule#ISSUER_EXPIRY].
    REFUSE,
    /// Shorten the certificate to end with its issuer, and say so in [IssuedCertificate#notes()].
    CAP
}
