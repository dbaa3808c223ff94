package io.certwright.core.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/// Accepts every server chain, for TLS clients that capture the chain and judge it themselves after the
/// handshake: the inventory's scanner (which reports untrusted, expired and weak chains rather than failing on
/// them) and ACME's tls-alpn-01 validator (decided by the certificate's content, not its issuer, RFC 8737
/// section 3). Never use it where a handshake's success means the server is trusted.
///
/// It is an [X509ExtendedTrustManager] on purpose: the JDK wraps plain `X509TrustManager`s in a checker that
/// applies `jdk.certpath.disabledAlgorithms` and endpoint identification to the peer's chain and would abort
/// the handshake for a SHA-1 signature, a short RSA key or a self-signed certificate, which are exactly what
/// these clients must see. Client chains are refused: this is only ever a client's trust manager.
public final class AcceptAnyServerChain extends X509ExtendedTrustManager {

    /// The one instance.
    public static final AcceptAnyServerChain INSTANCE = new AcceptAnyServerChain();

    private AcceptAnyServerChain() {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Accepted: the caller judges the chain after the handshake.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Accepted: the caller judges the chain after the handshake.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Accepted: the caller judges the chain after the handshake.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager is only ever a client's");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("this trust manager is only ever a client's");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("this trust manager is only ever a client's");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
