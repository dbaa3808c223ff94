/// Revocation as relying parties see it: X.509 v2 CRLs ([CrlSigner]) and an OCSP responder
/// ([OcspResponder], RFC 6960 in the RFC 5019 profile) answering from a [RevocationLookup] port, signed by a
/// delegated OCSP-signing certificate that [OcspSignerRotation] keeps fresh.
///
/// Nothing here stores state or speaks HTTP: the store module answers the lookup and keeps CRL numbers, the
/// server carries bytes in and out.
@NullMarked
package io.certwright.ca.revocation;

import org.jspecify.annotations.NullMarked;
