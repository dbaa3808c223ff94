/// What the ACME server keeps, and the port that keeps it: accounts, orders, authorizations with their
/// challenges, used nonces, external account binding keys and renewal-window overrides.
///
/// Every record is immutable. Orders, authorizations and accounts carry a version; an update names the
/// version it replaces, so two replicas (or two requests) racing on one object cannot both win. The
/// in-memory store serves tests and the JDBC stores in certwright-store serve the product; one contract
/// suite (in this module's test jar) runs against each.
@NullMarked
package io.certwright.acme.store;

import org.jspecify.annotations.NullMarked;
