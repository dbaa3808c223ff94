/// The `certwright` command: a CA kept in a directory (`ca init`, `ca show`, `ca import`), issuance with a
/// locally generated key (`issue`), CSRs (`csr`, `sign`), certificate inspection (`inspect`), and an
/// end-to-end `demo`.
///
/// Exit codes: 0 success, 1 refused by policy or bad input (one `error:` line on stderr), 2 usage error.
@NullMarked
package io.certwright.cli;

import org.jspecify.annotations.NullMarked;
