/// The vocabulary of issuance: certificate [Profile]s, the names a certificate carries, the template a
/// certificate is built from, and the rules ([PolicyRule], [LintRule]) whose refusals callers see.
@NullMarked
package io.certwright.ca.profile;

import org.jspecify.annotations.NullMarked;
