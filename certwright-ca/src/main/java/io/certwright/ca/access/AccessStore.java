package io.certwright.ca.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Port: API tokens, provisioners and enrollment tokens. Secrets are never stored, only their hashes.
public interface AccessStore {

    void createToken(ApiToken token) throws AccessException;

    /// The token whose secret hashes to `secretHash`, whatever its state; the caller checks usability.
    Optional<ApiToken> findToken(String secretHash) throws AccessException;

    List<ApiToken> tokens() throws AccessException;

    /// Revokes a token; returns false when no token has this id.
    boolean revokeToken(String id) throws AccessException;

    /// Creates or replaces a provisioner by name.
    void saveProvisioner(Provisioner provisioner) throws AccessException;

    Optional<Provisioner> provisioner(String name) throws AccessException;

    List<Provisioner> provisioners() throws AccessException;

    /// Deletes a provisioner; returns false when no provisioner has this name.
    boolean deleteProvisioner(String name) throws AccessException;

    void createEnrollment(EnrollmentToken token) throws AccessException;

    /// Atomically redeems the enrollment token with this secret hash: at most one caller ever gets
    /// [Redemption.Redeemed] for a token, even under concurrency.
    Redemption redeemEnrollment(String secretHash, Instant now) throws AccessException;
}
