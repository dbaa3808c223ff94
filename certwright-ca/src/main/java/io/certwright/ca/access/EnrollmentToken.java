package io.certwright.ca.access;

import io.certwright.ca.profile.SubjectNames;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// A one-time enrollment token as stored: bound to one identity and one provisioner, short-lived, usable once.
///
/// @param id public identifier
/// @param provisioner the token provisioner that made it
/// @param secretHash hex SHA-256 of the secret handed to the workload
/// @param names the exact names a certificate obtained with it must carry
/// @param expiresAt end of its short life
/// @param usedAt when it was redeemed; empty while unused
public record EnrollmentToken(String id, String provisioner, String secretHash, SubjectNames names, Instant expiresAt,
        Optional<Instant> usedAt) {

    public EnrollmentToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(names, "names");
    }

    @Override
    public String toString() {
        return "EnrollmentToken[" + id + ", " + provisioner + ", " + names.all() + "]";
    }
}
