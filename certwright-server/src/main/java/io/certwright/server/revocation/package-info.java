/// Publishing revocation status from a running server: the CRLs of the root and the issuing CA, kept in the
/// shared database with compare-and-set CRL numbers and regenerated after revocations and before they
/// expire, and the OCSP responder with its rotating delegated signer. The HTTP routes that serve them live
/// in `io.certwright.server.http`.
@NullMarked
package io.certwright.server.revocation;

import org.jspecify.annotations.NullMarked;
