package io.certwright.acme.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// An ACME account.
///
/// @param id the account's identifier (the last segment of its URL)
/// @param provisioner the ACME provisioner the account belongs to; accounts are not shared between them
/// @param keyThumbprint the RFC 7638 SHA-256 thumbprint of the account key, base64url; unique per provisioner
/// @param jwk the account's public key as a JWK JSON object
/// @param contacts contact URLs (`mailto:`)
/// @param status the account's state
/// @param createdAt when it was created
/// @param eabKeyId the external account binding key it was created with, if any
/// @param termsOfServiceAgreed whether the client agreed to the terms of service when it created the account
///     (RFC 8555 section 7.3, `termsOfServiceAgreed`)
/// @param version bumped by every update
public record Account(String id, String provisioner, String keyThumbprint, String jwk, List<String> contacts,
        AccountStatus status, Instant createdAt, Optional<String> eabKeyId, boolean termsOfServiceAgreed,
        long version) {

    /// Copies the contact list.
    public Account {
        contacts = List.copyOf(contacts);
    }

    /// This account with new contacts, one version later.
    public Account withContacts(List<String> next) {
        return new Account(id, provisioner, keyThumbprint, jwk, next, status, createdAt, eabKeyId,
                termsOfServiceAgreed, version + 1);
    }

    /// This account in another state, one version later.
    public Account withStatus(AccountStatus next) {
        return new Account(id, provisioner, keyThumbprint, jwk, contacts, next, createdAt, eabKeyId,
                termsOfServiceAgreed, version + 1);
    }

    /// This account with another key (key rollover), one version later.
    public Account withKey(String nextThumbprint, String nextJwk) {
        return new Account(id, provisioner, nextThumbprint, nextJwk, contacts, status, createdAt, eabKeyId,
                termsOfServiceAgreed, version + 1);
    }
}
