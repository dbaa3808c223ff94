package io.certwright.acme.validation;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/// A TLS server on loopback that answers tls-alpn-01 as an ACME client would (RFC 8737): it presents a
/// self-signed certificate made for the test and selects the ALPN protocol the test says. It records the
/// SNI names it received. Each connection is served on a virtual thread and closed after the handshake.
final class TestTlsAlpnServer implements AutoCloseable {

    /// The id-pe-acmeIdentifier extension.
    static final ASN1ObjectIdentifier ACME_IDENTIFIER = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");

    /// What the server's ALPN selector answers: `acme-tls/1` when offered, nothing (no ALPN), or a refusal
    /// (the handshake fails with `no_application_protocol`).
    enum Alpn { ACME_TLS_1, NONE, REFUSE }

    private final SSLServerSocket listener;
    private final Alpn alpn;
    private final List<String> serverNames = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private TestTlsAlpnServer(SSLContext context, String address, Alpn alpn) throws IOException {
        this.listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.ofLiteral(address));
        this.alpn = alpn;
        Thread.ofVirtual().name("test-tls-alpn").start(this::acceptLoop);
    }

    /// A server on 127.0.0.1 presenting `certificate`.
    static TestTlsAlpnServer start(Certificate certificate, Alpn alpn) throws Exception {
        return new TestTlsAlpnServer(context(certificate), "127.0.0.1", alpn);
    }

    int port() {
        return listener.getLocalPort();
    }

    /// The SNI host names received, one per handshake that sent one.
    List<String> serverNames() {
        return List.copyOf(serverNames);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            SSLSocket socket;
            try {
                socket = (SSLSocket) listener.accept();
            } catch (IOException e) {
                return;
            }
            open.add(socket);
            Thread.ofVirtual().start(() -> serve(socket));
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                @Override
                public boolean matches(SNIServerName name) {
                    serverNames.add(((SNIHostName) name).getAsciiName());
                    return true;
                }
            }));
            socket.setSSLParameters(parameters);
            BiFunction<SSLSocket, List<String>, @Nullable String> selector = (s, offered) -> switch (alpn) {
                case ACME_TLS_1 -> offered.contains("acme-tls/1") ? "acme-tls/1" : null;
                case NONE -> "";
                case REFUSE -> null;
            };
            socket.setHandshakeApplicationProtocolSelector(selector);
            socket.startHandshake();
            socket.getInputStream().read();
        } catch (IOException e) {
            // The validator closes the connection after the handshake, or the handshake failed on purpose.
        } finally {
            open.remove(socket);
        }
    }

    /// A server-side TLS context presenting `certificate`.
    static SSLContext context(Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("acme", certificate.keys().getPrivate(), password,
                new X509Certificate[] {certificate.x509()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    /// A self-signed certificate and its key.
    record Certificate(X509Certificate x509, KeyPair keys) {
    }

    /// Builds the certificate a tls-alpn-01 responder presents, or a deliberately wrong one.
    static final class CertificateSpec {

        private final List<GeneralName> names = new ArrayList<>();
        private byte @Nullable [] acmeIdentifier;
        private boolean critical = true;
        private boolean wrapInOctetString = true;

        /// A certificate for `keyAuthorization`, so far with no subjectAltName.
        static CertificateSpec forKeyAuthorization(String keyAuthorization) throws Exception {
            CertificateSpec spec = new CertificateSpec();
            spec.acmeIdentifier = MessageDigest.getInstance("SHA-256")
                    .digest(keyAuthorization.getBytes(StandardCharsets.UTF_8));
            return spec;
        }

        CertificateSpec dnsName(String name) {
            names.add(new GeneralName(GeneralName.dNSName, name));
            return this;
        }

        CertificateSpec ipAddress(String address) {
            names.add(new GeneralName(GeneralName.iPAddress, address));
            return this;
        }

        CertificateSpec acmeIdentifier(byte @Nullable [] value) {
            acmeIdentifier = value;
            return this;
        }

        CertificateSpec notCritical() {
            critical = false;
            return this;
        }

        /// Puts the digest directly in the extension value instead of in an OCTET STRING.
        CertificateSpec bareDigest() {
            wrapInOctetString = false;
            return this;
        }

        Certificate build() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=ACME tls-alpn-01 test");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(42),
                    Date.from(Instant.parse("2020-01-01T00:00:00Z")), Date.from(Instant.parse("2099-01-01T00:00:00Z")),
                    subject, keys.getPublic());
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            byte[] value = acmeIdentifier;
            if (value != null) {
                if (wrapInOctetString) {
                    ASN1Encodable wrapped = new DEROctetString(value);
                    builder.addExtension(ACME_IDENTIFIER, critical, wrapped);
                } else {
                    builder.addExtension(ACME_IDENTIFIER, critical, value);
                }
            }
            X509Certificate x509 = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new Certificate(x509, keys);
        }
    }
}
