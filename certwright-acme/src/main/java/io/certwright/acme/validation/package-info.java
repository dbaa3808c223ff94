/// Challenge validation (RFC 8555 section 8, RFC 8737, RFC 8738): http-01, dns-01 and tls-alpn-01,
/// run off the request thread with timeouts, against ports and a DNS server that the configuration can
/// point at private networks and tests.
///
/// [Validators] is the [ChallengeValidator] of the server, configured by [ValidationSettings]
/// (`acme.validation`); [DnsCaaChecker] checks CAA records (RFC 8659) before issuance with the same DNS
/// set-up. Every DNS question goes through dnsjava to the
/// configured server; the JDK's resolver is never asked about an identifier. Certificates presented in
/// tls-alpn-01 are read with the JDK alone (no Bouncy Castle outside the CA's X.509 internals).
@NullMarked
package io.certwright.acme.validation;

import org.jspecify.annotations.NullMarked;
