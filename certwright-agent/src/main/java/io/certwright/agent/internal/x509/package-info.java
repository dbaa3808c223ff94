/// Key pairs, PKCS#10 requests and PEM for the agent. The one package of the agent that may import Bouncy
/// Castle, which it uses only to build CSRs.
@NullMarked
package io.certwright.agent.internal.x509;

import org.jspecify.annotations.NullMarked;
