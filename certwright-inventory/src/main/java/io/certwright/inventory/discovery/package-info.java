/// Discovery: finding certificates where they are used, on TLS endpoints and in files and keystores.
///
/// [TlsScanner] performs real TLS handshakes (optionally after an SMTP or PostgreSQL STARTTLS preamble)
/// against [TlsTarget]s that [Targets] parses from `host:port`, hostnames, CIDR ranges and target files.
/// It accepts whatever chain a server presents, because the point is to see it, and then judges that chain
/// separately: trust against extra roots and the JDK's trust store, hostname match, protocol, cipher, key
/// and OCSP stapling. [FileScanner] walks directories for PEM, DER, PKCS#12 and JKS files.
///
/// Every target yields an [Observation]: a [Finding] with the presented chain, or a [ScanError] with an
/// [ErrorKind] and a message. Bad input never stops a scan; it becomes one error record and the scan goes on.
@NullMarked
package io.certwright.inventory.discovery;

import org.jspecify.annotations.NullMarked;
