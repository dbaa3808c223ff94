/// The server side of workload identity in JOSE form: JWT-SVIDs signed with the server's JWT key, and the
/// trust domain's SPIFFE bundle (X.509 and JWT authorities as a JWK set) that relying parties and
/// federated trust domains fetch.
@NullMarked
package io.certwright.server.workload;

import org.jspecify.annotations.NullMarked;
