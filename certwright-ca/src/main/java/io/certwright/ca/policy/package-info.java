/// Issuance policy as data: which key types are acceptable and which names (DNS, IP, URI, email, SPIFFE ID)
/// a certificate may carry. Matching is pure and side-effect free.
@NullMarked
package io.certwright.ca.policy;

import org.jspecify.annotations.NullMarked;
