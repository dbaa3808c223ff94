/// The ACME server (RFC 8555): accounts, orders, authorizations and challenges, JWS request
/// authentication, renewal information (RFC 9773), and its routes under `/acme/<provisioner>/`.
///
/// The protocol engine is free of any HTTP framework: it takes a request (method, path, headers, body)
/// and answers a response, so the server's HTTP edge adapts it in one place. Certificates are issued
/// through the [io.certwright.acme.AcmeIssuer] port, which the server implements with the one issuance
/// path every protocol shares.
@NullMarked
package io.certwright.acme;

import org.jspecify.annotations.NullMarked;
