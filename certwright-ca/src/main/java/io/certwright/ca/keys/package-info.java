/// Key custody: the [SigningKey] port every signature goes through, crypto provider selection
/// (Amazon Corretto Crypto Provider first where it loads), key generation, and encrypted key files.
///
/// Private keys never appear in `toString`, logs or exception messages.
@NullMarked
package io.certwright.ca.keys;

import org.jspecify.annotations.NullMarked;
