package io.certwright.ca;

import io.certwright.ca.internal.x509.PemCodec;
import io.certwright.ca.internal.x509.Pkcs8Codec;
import io.certwright.ca.internal.x509.X509Certificates;
import io.certwright.ca.keys.Passphrase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/// Reading and writing certificates, CSRs and keys as PEM (or DER where a tool may hand us DER).
/// Every failure is an [IOException] or [GeneralSecurityException] with a one-line message naming the problem.
public final class Pem {

    private Pem() {
    }

    /// Certificates from PEM text holding one or more `CERTIFICATE` blocks, or from a single DER certificate.
    public static List<X509Certificate> readCertificates(byte[] content, String source) throws IOException {
        if (content.length > 0 && content[0] == 0x30) {
            try {
                return List.of(X509Certificates.parse(content));
            } catch (CertificateException | RuntimeException e) {
                throw new IOException(source + ": not a DER certificate");
            }
        }
        String text = new String(content, StandardCharsets.US_ASCII);
        List<byte[]> ders;
        try {
            ders = PemCodec.decode(text, "CERTIFICATE");
        } catch (IOException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : ders) {
            try {
                out.add(X509Certificates.parse(der));
            } catch (CertificateException | RuntimeException e) {
                throw new IOException(source + ": a CERTIFICATE block does not hold a valid X.509 certificate");
            }
        }
        return out;
    }

    /// The DER of a `CERTIFICATE REQUEST` (or `NEW CERTIFICATE REQUEST`) PEM block, or the input if it is DER.
    public static byte[] readCsr(byte[] content, String source) throws IOException {
        if (content.length > 0 && content[0] == 0x30) {
            return content;
        }
        String text = new String(content, StandardCharsets.US_ASCII);
        try {
            List<PemCodec.Block> blocks = PemCodec.decode(text);
            for (PemCodec.Block b : blocks) {
                if (b.label().equals("CERTIFICATE REQUEST") || b.label().equals("NEW CERTIFICATE REQUEST")) {
                    return b.der();
                }
            }
            throw new IOException("expected PEM CERTIFICATE REQUEST but found "
                    + blocks.stream().map(PemCodec.Block::label).distinct().toList());
        } catch (IOException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    public static String certificate(X509Certificate cert) {
        return TrustBundle.encode(cert);
    }

    public static String certificates(List<X509Certificate> certs) {
        StringBuilder b = new StringBuilder();
        certs.forEach(c -> b.append(TrustBundle.encode(c)));
        return b.toString();
    }

    /// A PEM `X509 CRL` block ([RFC 7468 §6](https://www.rfc-editor.org/rfc/rfc7468#section-6)).
    public static String crl(byte[] der) {
        return PemCodec.encode("X509 CRL", der);
    }

    public static String csr(byte[] der) {
        return PemCodec.encode("CERTIFICATE REQUEST", der);
    }

    /// An unencrypted PKCS#8 `PRIVATE KEY` block, for workload keys that servers read at start-up.
    public static String privateKey(PrivateKey key) {
        return Pkcs8Codec.encodePlain(key);
    }

    /// An encrypted PKCS#8 block (PBES2, PBKDF2-HMAC-SHA256 with 600,000 iterations, AES-256-CBC).
    public static String encryptedPrivateKey(PrivateKey key, Passphrase passphrase) throws GeneralSecurityException {
        return Pkcs8Codec.encrypt(key, passphrase);
    }

    /// Reads an unencrypted PKCS#8 key.
    public static PrivateKey readPrivateKey(String pem, String source) throws IOException, GeneralSecurityException {
        return Pkcs8Codec.decodePlain(pem, source);
    }

    /// Reads an encrypted PKCS#8 key.
    ///
    /// @throws io.certwright.ca.keys.WrongPassphraseException when the passphrase is wrong
    public static PrivateKey readEncryptedPrivateKey(String pem, Passphrase passphrase, String source)
            throws IOException, GeneralSecurityException {
        return Pkcs8Codec.decrypt(pem, passphrase, source);
    }

    /// Whether a key PEM is encrypted.
    public static boolean isEncrypted(String pem) throws IOException {
        return Pkcs8Codec.isEncrypted(pem);
    }
}
