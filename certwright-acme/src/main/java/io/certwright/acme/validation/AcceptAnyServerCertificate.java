package io.certwright.acme.validation;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/// Accepts any server certificate. tls-alpn-01 is decided by the certificate's content, not its issuer
/// (RFC 8737 section 3), and an http-01 redirect to HTTPS is followed without judging the chain, so no
/// chain is ever trusted for anything else.
///
/// It is an [X509ExtendedTrustManager] so that the JDK does not wrap it in a checker that applies
/// algorithm constraints or endpoint identification to the self-signed certificates ACME clients present.
final class AcceptAnyServerCertificate extends X509ExtendedTrustManager {

    static final AcceptAnyServerCertificate INSTANCE = new AcceptAnyServerCertificate();

    private AcceptAnyServerCertificate() {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Accepted: the validator judges the certificate's content after the handshake.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Accepted: the validator judges the certificate's content after the handshake.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Accepted: the validator judges the certificate's content after the handshake.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a validator is only ever a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a validator is only ever a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a validator is only ever a client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
