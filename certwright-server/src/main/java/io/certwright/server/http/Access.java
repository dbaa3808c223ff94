package io.certwright.server.http;

import io.certwright.ca.access.Role;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// Who may call a route.
enum Access {
    /// Anyone, without credentials.
    PUBLIC(null),
    /// An API token with at least the auditor role.
    AUDITOR(Role.AUDITOR),
    /// An API token with at least the operator role.
    OPERATOR(Role.OPERATOR),
    /// An admin API token.
    ADMIN(Role.ADMIN),
    /// An operator API token, or a one-time enrollment token redeemed by the handler once the request decoded.
    OPERATOR_OR_ENROLLMENT(Role.OPERATOR),
    /// A client certificate this CA issued, checked by the handler against the registry.
    CLIENT_CERTIFICATE(null),
    /// A node agent's X509-SVID as the TLS client certificate, checked by the node API handler: issued by
    /// this CA, current, unrevoked, of an agent that is not banned.
    AGENT(null);

    private final Optional<Role> role;

    Access(@Nullable Role role) {
        this.role = Optional.ofNullable(role);
    }

    Optional<Role> role() {
        return role;
    }
}
