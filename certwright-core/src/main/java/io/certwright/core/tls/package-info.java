/// TLS helpers every client of the project shares, on the JDK alone.
@NullMarked
package io.certwright.core.tls;

import org.jspecify.annotations.NullMarked;
