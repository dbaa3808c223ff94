package io.certwright.ca;

import java.util.Objects;

/// Who asked for a certificate and through which provisioner; recorded with the certificate and in its
/// audit entry.
///
/// @param actor the audit actor, such as `token:<id>`, `cert:<serial>` or `cli`
/// @param provisioner the provisioner name, such as `admin-api`, `enroll` or `local`
public record Requester(String actor, String provisioner) {

    /// The offline command line working on a CA directory.
    public static final Requester LOCAL = new Requester("cli", "local");
    /// Certwright itself, for example when creating its CA or its own TLS certificate.
    public static final Requester SYSTEM = new Requester("system", "system");

    public Requester {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(provisioner, "provisioner");
        if (actor.isBlank() || provisioner.isBlank()) {
            throw new IllegalArgumentException("requester actor and provisioner must not be blank");
        }
    }
}
