package io.certwright.inventory.discovery;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/// Accepts every server chain so that it can be captured and judged afterwards, never trusted.
///
/// It is an [X509ExtendedTrustManager] on purpose: the JDK wraps plain `X509TrustManager`s in a checker that
/// applies `jdk.certpath.disabledAlgorithms` to the peer's chain and would abort the handshake for a SHA-1
/// signature or a short RSA key, which are exactly the certificates a scan must report. Client chains are
/// refused: this is only ever a client.
final class AcceptingTrustManager extends X509ExtendedTrustManager {

    static final AcceptingTrustManager INSTANCE = new AcceptingTrustManager();

    private AcceptingTrustManager() {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Accepted: the chain is judged after the handshake, by ChainTrust.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Accepted: the chain is judged after the handshake, by ChainTrust.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Accepted: the chain is judged after the handshake, by ChainTrust.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the scanner accepts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the scanner accepts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the scanner accepts no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
