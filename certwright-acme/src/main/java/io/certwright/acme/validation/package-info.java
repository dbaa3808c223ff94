/// Challenge validation (RFC 8555 section 8, RFC 8737, RFC 8738): http-01, dns-01 and tls-alpn-01,
/// run off the request thread with timeouts, against ports and a DNS server that the configuration can
/// point at private networks and tests.
@NullMarked
package io.certwright.acme.validation;

import org.jspecify.annotations.NullMarked;
