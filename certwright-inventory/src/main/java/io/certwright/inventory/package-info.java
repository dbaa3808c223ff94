/// The inventory: every certificate Certwright knows of, whether it issued it or discovered it on a
/// TLS endpoint or in a file, with where it was seen, who owns it and what state it is in.
///
/// Discovery, status computation and alerting live in sub-packages; storage is a port implemented
/// by the store module.
@NullMarked
package io.certwright.inventory;

import org.jspecify.annotations.NullMarked;
