/// The compliance report: expired and expiring certificates, weak keys, SHA-1 signatures, overlong lifetimes,
/// wildcards, self-signed certificates in use, untrusted or incomplete chains, hostname mismatches, keys reused
/// across certificates, and the blast radius of each CA key; written as JSON, CSV or self-contained HTML.
@NullMarked
package io.certwright.inventory.report;

import org.jspecify.annotations.NullMarked;
