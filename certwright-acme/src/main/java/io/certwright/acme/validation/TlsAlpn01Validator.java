package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Identifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/// tls-alpn-01 (RFC 8737, RFC 8738 section 6): a TLS handshake that offers only the ALPN protocol
/// `acme-tls/1` and names the identifier in SNI (an IP identifier by its reverse-mapping name, such as
/// `4.3.2.1.in-addr.arpa`), with TLS 1.2 or 1.3 and no judgement of the chain.
///
/// The attempt is valid when the server selected `acme-tls/1` and its certificate (the first one presented;
/// any others are ignored)
/// - has a subjectAltName with exactly one entry, the identifier: a dNSName (compared without regard to
///   case) or an iPAddress (compared as addresses), and
/// - has the id-pe-acmeIdentifier extension (1.3.6.1.5.5.7.1.31), marked critical, whose value is a DER
///   OCTET STRING holding the SHA-256 digest of the key authorization.
///
/// A failed handshake or another protocol than `acme-tls/1` is `tls`; a certificate that fails a rule is
/// `incorrectResponse`; no connection is `connection`; a name that does not resolve is `dns`.
final class TlsAlpn01Validator {

    /// The ALPN protocol of tls-alpn-01.
    static final String ACME_TLS_1 = "acme-tls/1";
    /// id-pe-acmeIdentifier.
    static final String ACME_IDENTIFIER_OID = "1.3.6.1.5.5.7.1.31";

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final ValidationSettings settings;
    private final DnsLookups dns;
    private final SSLSocketFactory tls;

    TlsAlpn01Validator(ValidationSettings settings, DnsLookups dns, SSLSocketFactory tls) {
        this.settings = settings;
        this.dns = dns;
        this.tls = tls;
    }

    void validate(Identifier identifier, String keyAuthorization, Attempt attempt)
            throws ValidationFailure, InterruptedException {
        InetAddress ip = null;
        String serverName;
        if (identifier.type() == Identifier.Type.IP) {
            ip = Addresses.literal(identifier.value());
            serverName = Addresses.reverseName(ip);
        } else if (identifier.isWildcard()) {
            throw new ValidationFailure(AcmeProblemType.MALFORMED,
                    "tls-alpn-01 cannot validate the wildcard " + identifier.value());
        } else {
            serverName = identifier.value();
        }
        SNIHostName sni;
        try {
            sni = new SNIHostName(serverName);
        } catch (IllegalArgumentException e) {
            throw new ValidationFailure(AcmeProblemType.MALFORMED,
                    Printable.quote(serverName) + " cannot be sent as a TLS server name");
        }
        List<InetAddress> addresses = ip != null ? List.of(ip) : dns.addresses(serverName, attempt);
        Presented presented = handshake(addresses, sni, attempt);
        String where = "the certificate " + presented.address() + " presented for " + serverName;
        checkSubjectAltName(presented.leaf(), identifier, ip, where);
        checkAcmeIdentifier(presented.leaf(), keyAuthorization, where);
    }

    /// The certificate a server presented, and the server's address.
    private record Presented(X509Certificate leaf, String address) {
    }

    private Presented handshake(List<InetAddress> addresses, SNIHostName sni, Attempt attempt)
            throws ValidationFailure, InterruptedException {
        Connections.Connected connected = Connections.connect(addresses, settings.tlsAlpn01Port(),
                settings.timeout(), attempt);
        String address = Connections.display(connected.address());
        String where = address + " (SNI " + sni.getAsciiName() + ")";
        attempt.now("TLS handshake with " + where);
        try (SSLSocket socket = (SSLSocket) tls.createSocket(connected.socket(), sni.getAsciiName(),
                connected.address().getPort(), true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(sni));
            parameters.setApplicationProtocols(new String[] {ACME_TLS_1});
            parameters.setProtocols(supported(socket, "TLSv1.3", "TLSv1.2"));
            parameters.setEndpointIdentificationAlgorithm(null);
            socket.setSSLParameters(parameters);
            try {
                socket.startHandshake();
            } catch (SSLException e) {
                throw new ValidationFailure(AcmeProblemType.TLS,
                        "the TLS handshake with " + where + " failed: " + e.getMessage());
            }
            String protocol = socket.getApplicationProtocol();
            if (!ACME_TLS_1.equals(protocol)) {
                throw new ValidationFailure(AcmeProblemType.TLS, where + " did not select the ALPN protocol "
                        + ACME_TLS_1 + (protocol == null || protocol.isEmpty() ? "" : " but " + Printable.quote(protocol)));
            }
            Certificate[] chain = socket.getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                throw new ValidationFailure(AcmeProblemType.TLS, where + " presented no X.509 certificate");
            }
            return new Presented(leaf, address);
        } catch (SocketTimeoutException e) {
            throw new ValidationFailure(AcmeProblemType.CONNECTION, where + " did not complete the TLS handshake in time");
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("timed out");
            }
            throw new ValidationFailure(AcmeProblemType.CONNECTION, where + ": " + Connections.reason(e));
        } finally {
            Connections.close(connected.socket());
        }
    }

    private static String[] supported(SSLSocket socket, String... wanted) {
        Set<String> available = Set.of(socket.getSupportedProtocols());
        return Arrays.stream(wanted).filter(available::contains).toArray(String[]::new);
    }

    static void checkSubjectAltName(X509Certificate leaf, Identifier identifier, @Nullable InetAddress ip,
            String where) throws ValidationFailure {
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                    where + " has a subjectAltName that cannot be read");
        }
        String expected = (ip != null ? "iPAddress " : "dNSName ") + identifier.value();
        if (names == null || names.isEmpty()) {
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                    where + " has no subjectAltName; it must hold exactly " + expected);
        }
        List<String> seen = new ArrayList<>();
        boolean matches = names.size() == 1;
        for (List<?> entry : names) {
            Object type = entry.get(0);
            Object value = entry.size() > 1 ? entry.get(1) : null;
            seen.add(describe(type, value));
            matches &= matches(type, value, identifier, ip);
        }
        if (!matches) {
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE, where
                    + " has the subjectAltName " + seen + "; it must hold exactly " + expected);
        }
    }

    private static boolean matches(@Nullable Object type, @Nullable Object value, Identifier identifier,
            @Nullable InetAddress ip) {
        if (!(type instanceof Integer t) || !(value instanceof String text)) {
            return false;
        }
        if (ip == null) {
            return t == SAN_DNS && text.toLowerCase(Locale.ROOT).equals(identifier.value());
        }
        if (t != SAN_IP) {
            return false;
        }
        try {
            return InetAddress.ofLiteral(text).equals(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(@Nullable Object type, @Nullable Object value) {
        String kind = type instanceof Integer t ? switch (t) {
            case 0 -> "otherName";
            case 1 -> "rfc822Name";
            case SAN_DNS -> "dNSName";
            case 3 -> "x400Address";
            case 4 -> "directoryName";
            case 5 -> "ediPartyName";
            case 6 -> "uniformResourceIdentifier";
            case SAN_IP -> "iPAddress";
            case 8 -> "registeredID";
            default -> "name of type " + t;
        } : "unknown name";
        return value instanceof String text ? kind + " " + Printable.quote(text) : kind;
    }

    static void checkAcmeIdentifier(X509Certificate leaf, String keyAuthorization, String where)
            throws ValidationFailure {
        byte[] extension = leaf.getExtensionValue(ACME_IDENTIFIER_OID);
        if (extension == null) {
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                    where + " has no acmeIdentifier extension (" + ACME_IDENTIFIER_OID + ")");
        }
        Set<String> critical = leaf.getCriticalExtensionOIDs();
        if (critical == null || !critical.contains(ACME_IDENTIFIER_OID)) {
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                    where + " has an acmeIdentifier extension that is not marked critical");
        }
        byte[] extnValue = Der.octetString(extension);
        byte[] digest = extnValue == null ? null : Der.octetString(extnValue);
        if (digest == null || digest.length != 32) {
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                    where + " has an acmeIdentifier extension that is not a DER OCTET STRING of 32 bytes");
        }
        byte[] expected = sha256(keyAuthorization);
        if (!MessageDigest.isEqual(digest, expected)) {
            HexFormat hex = HexFormat.of();
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE, where
                    + " has an acmeIdentifier of " + hex.formatHex(digest)
                    + ", not the SHA-256 digest of the key authorization, " + hex.formatHex(expected));
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
