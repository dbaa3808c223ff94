package io.certwright.inventory.discovery;

import java.util.Objects;

/// What a TLS handshake showed besides the chain.
///
/// @param protocol      the negotiated protocol, for example `TLSv1.3`
/// @param cipherSuite   the negotiated cipher suite
/// @param ocspStapled   whether the server stapled an OCSP response (status_request)
/// @param extraRoots    trust against the roots given to the scanner (for example Certwright's own)
/// @param jdkTrustStore trust against the JDK's default trust store
/// @param hostname      whether the leaf names the server name (or the IP address) targeted
public record TlsDetails(String protocol, String cipherSuite, boolean ocspStapled, TrustCheck extraRoots,
        TrustCheck jdkTrustStore, HostnameMatch hostname) {

    public TlsDetails {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(extraRoots, "extraRoots");
        Objects.requireNonNull(jdkTrustStore, "jdkTrustStore");
        Objects.requireNonNull(hostname, "hostname");
    }
}
