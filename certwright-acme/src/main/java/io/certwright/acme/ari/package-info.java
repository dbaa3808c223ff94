/// ACME Renewal Information (RFC 9773): certificate identifiers, the suggested renewal window as a pure
/// function of a certificate's validity, and administrators' overrides that pull windows forward.
@NullMarked
package io.certwright.acme.ari;

import org.jspecify.annotations.NullMarked;
