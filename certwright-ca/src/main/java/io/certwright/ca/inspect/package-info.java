/// Reading certificates for people: key type and size, and every extension decoded into readable values,
/// for `certwright inspect` and `certwright ca show`. Works on any X.509 certificate, not only Certwright's;
/// malformed extensions are reported as such instead of failing.
@NullMarked
package io.certwright.ca.inspect;

import org.jspecify.annotations.NullMarked;
