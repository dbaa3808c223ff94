/// JWS request authentication for ACME (RFC 8555 section 6.2 to 6.5, RFC 7515, RFC 7638): flattened JWS
/// parsing and verification, account keys and their thumbprints, stateless signed nonces whose use is
/// recorded once in the shared store, and external account binding (section 7.3.4).
///
/// Every failure is an [io.certwright.acme.AcmeException] with the problem type the RFC names; nothing here
/// throws anything else on bad input.
@NullMarked
package io.certwright.acme.jws;

import org.jspecify.annotations.NullMarked;
