/// The certificate authority: the one issuance path every protocol ends in.
///
/// [CertificateAuthority] checks a request against key and name policy and the profile's lifetime rules,
/// builds the to-be-signed certificate, lints it, records it in the [CertificateLedger] and only then signs.
/// Refusals are [PolicyException]s carrying [Refusal] values that name the rule that refused.
@NullMarked
package io.certwright.ca;

import org.jspecify.annotations.NullMarked;
