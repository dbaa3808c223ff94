/// The running CA service: [CertwrightServer] wires the database, the CA, the bootstrap admin token and
/// the HTTPS edge together by hand, in dependency order; [ServerConfig] is the validated configuration
/// (one YAML file, every key overridable by a `CERTWRIGHT_*` environment variable).
@NullMarked
package io.certwright.server;

import org.jspecify.annotations.NullMarked;
