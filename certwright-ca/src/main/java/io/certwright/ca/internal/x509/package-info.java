/// X.509 internals: the only package that speaks ASN.1 through Bouncy Castle. Builds to-be-signed
/// certificates, lints them, assembles signed certificates, parses CSRs and PEM, and encrypts PKCS#8.
/// Not an API: callers use the types of `io.certwright.ca` and `io.certwright.ca.keys`.
@NullMarked
package io.certwright.ca.internal.x509;

import org.jspecify.annotations.NullMarked;
