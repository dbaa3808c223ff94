package io.certwright.inventory;

/// What a TLS scan learned about how an endpoint serves its certificate, beyond the certificate itself.
///
/// @param hostnameMatches whether the leaf certificate is valid for the name the scanner asked for
/// @param chainTrusted whether the presented chain validates against the trusted roots (Certwright's roots
///     and the JDK's trust store)
/// @param chainComplete whether the presented chain reaches a trusted root or a self-signed certificate
///     without missing intermediates
public record TlsFacts(boolean hostnameMatches, boolean chainTrusted, boolean chainComplete) {

    /// An endpoint with nothing wrong: matching name, trusted and complete chain.
    public static TlsFacts healthy() {
        return new TlsFacts(true, true, true);
    }
}
