package io.certwright.acme.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// An order for a certificate.
///
/// @param id the order's identifier (the last segment of its URL)
/// @param accountId the account that placed it
/// @param provisioner the ACME provisioner it was placed under
/// @param status the order's state
/// @param expires when it expires
/// @param identifiers what the certificate is to name, as the client asked
/// @param notBefore requested start of validity
/// @param notAfter requested end of validity
/// @param authorizationIds its authorizations, one per identifier
/// @param error the problem document (JSON) that made it invalid
/// @param certificateSerial the serial (lowercase hex) of the certificate issued for it
/// @param replaces the RFC 9773 certificate identifier of the certificate this order replaces
/// @param createdAt when it was placed
/// @param version bumped by every update
public record Order(String id, String accountId, String provisioner, OrderStatus status, Instant expires,
        List<Identifier> identifiers, Optional<Instant> notBefore, Optional<Instant> notAfter,
        List<String> authorizationIds, Optional<String> error, Optional<String> certificateSerial,
        Optional<String> replaces, Instant createdAt, long version) {

    /// Copies the lists.
    public Order {
        identifiers = List.copyOf(identifiers);
        authorizationIds = List.copyOf(authorizationIds);
    }

    /// This order in another state, one version later.
    public Order with(OrderStatus next, Optional<String> problem, Optional<String> serial) {
        return new Order(id, accountId, provisioner, next, expires, identifiers, notBefore, notAfter,
                authorizationIds, problem, serial, replaces, createdAt, version + 1);
    }
}
