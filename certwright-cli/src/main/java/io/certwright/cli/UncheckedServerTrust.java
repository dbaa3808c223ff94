package io.certwright.cli;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/// A client-side trust manager that accepts any server chain without checking it. Used in exactly two
/// places, neither of which trusts what it reads: `inspect host:port`, which only displays the chain, and
/// the first read of `bootstrap`, whose roots are then checked against the fingerprint the user gave.
/// As a server-side trust manager it refuses every client chain.
final class UncheckedServerTrust extends X509ExtendedTrustManager {

    private static final String CLIENT_REFUSED = "this trust manager only reads server chains";

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException(CLIENT_REFUSED);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
            throws CertificateException {
        throw new CertificateException(CLIENT_REFUSED);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
            throws CertificateException {
        throw new CertificateException(CLIENT_REFUSED);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Accepted unchecked: see the class comment.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket) {
        // Accepted unchecked: see the class comment.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine) {
        // Accepted unchecked: see the class comment.
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
