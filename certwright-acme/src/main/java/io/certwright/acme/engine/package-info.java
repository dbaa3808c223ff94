/// The ACME protocol engine (RFC 8555, RFC 8738, RFC 9773), free of any HTTP framework: [AcmeServer]
/// answers an [AcmeRequest] (method, path, headers, body, source address) with an [AcmeResponse], so the
/// server's HTTP edge adapts it in one place.
///
/// Every response carries a fresh `Replay-Nonce` and a `Link` to its directory; every refusal is a problem
/// document with the RFC's error type and is audited; every change of state is audited.
@NullMarked
package io.certwright.acme.engine;

import org.jspecify.annotations.NullMarked;
