package io.certwright.inventory.discovery;

import io.certwright.core.tls.AcceptAnyServerChain;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/// Scans TLS endpoints: one real handshake per target, on virtual threads, at most
/// [ScanSettings#concurrency] at once.
///
/// Each attempt connects, runs the STARTTLS preamble if the target asks for one, sends the target's server
/// name as SNI (none for IP address targets unless one is given) and asks for a stapled OCSP response. Every
/// chain is accepted so that expired, self-signed, SHA-1-signed and short-key chains are seen; each is then
/// judged against the extra roots and the JDK's trust store at the clock's time, and matched against the
/// server name. Connecting, the preamble and the handshake together must finish within
/// [ScanSettings#timeout], enforced by closing the socket at that deadline, so a server that stalls
/// mid-handshake cannot hold a scan; the socket has no connect or read timeout of its own, which would cost
/// every wait of a virtual thread a timer to set and cancel. Failures that may pass are retried once. Name
/// resolution uses the system resolver and its own timeouts; hosts with several addresses are scanned at the
/// first; IP address targets are not looked up.
///
/// A handshake first offers only the JDK's elliptic-curve (ECDHE) groups, `secp256r1` first, so the client
/// computes a single key share; a server that then fails the handshake (one that accepts only X25519 or
/// finite-field groups) is tried again at once with the JDK's default groups. One TLS context serves every
/// attempt, and trust is judged by [ChainTrust], which remembers the path found for chains that share their
/// intermediates.
///
/// Nothing is sent after the handshake, not even a TLS `close_notify` alert: the TCP connection is simply
/// closed (as other scanners do), which spares both sides encrypting, sending and reading the closing alerts.
/// The session is not reused. Connections are made directly, never through a configured SOCKS proxy: a
/// scanner must see the endpoint from where it runs. The TLS layer reads and writes the connection through
/// buffers: the same bytes go out and come in, in fewer system calls and TCP segments.
public final class TlsScanner {

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
    private static final String DISABLED_CLIENT_EXTENSIONS = "jdk.tls.client.disableExtensions";

    private final ScanSettings settings;
    private final Clock clock;
    private final ChainTrust extraRoots;
    private final ChainTrust jdkRoots;
    private final SSLSocketFactory factory;
    /// The named groups of a first attempt: the JDK's elliptic-curve (ECDHE) groups alone, in its order, with
    /// `secp256r1` first; null when the JDK's defaults have none, so every attempt uses the defaults.
    private final String @Nullable [] ecdheGroups;

    /// A scanner with `settings`, reading the time from `clock`.
    ///
    /// @throws GeneralSecurityException when the JDK's TLS or trust store cannot be set up
    public TlsScanner(ScanSettings settings, Clock clock) throws GeneralSecurityException {
        this.settings = settings;
        this.clock = clock;
        this.extraRoots = ChainTrust.of(settings.extraRoots());
        this.jdkRoots = settings.checkJdkRoots() ? ChainTrust.jdkDefault() : ChainTrust.of(List.of());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {AcceptAnyServerChain.INSTANCE}, new SecureRandom());
        this.factory = context.getSocketFactory();
        this.ecdheGroups = ecdheGroups(context.getDefaultSSLParameters().getNamedGroups());
    }

    /// The elliptic-curve groups of `defaults` with `secp256r1` first, or null when there are none or they
    /// are all there is.
    ///
    /// A JDK client sends a key share for its first group of each of two kinds (X25519 and an ECDHE curve, by
    /// default), so it computes two key pairs per handshake, the X25519 one always in Java; offering the ECDHE
    /// curves alone costs one key pair, on P-256, which a native provider (ACCP) computes where installed.
    static String @Nullable [] ecdheGroups(String @Nullable [] defaults) {
        if (defaults == null) {
            return null;
        }
        List<String> groups = new ArrayList<>();
        for (String g : defaults) {
            if (g.startsWith("secp")) {
                groups.add(g);
            }
        }
        if (groups.isEmpty() || groups.size() == defaults.length) {
            return null;
        }
        if (groups.remove("secp256r1")) {
            groups.addFirst("secp256r1");
        }
        return groups.toArray(String[]::new);
    }

    /// Makes every TLS client of this process leave the `psk_key_exchange_modes` extension out of its
    /// ClientHello, so TLS 1.3 servers do not mint session tickets for connections that will never be resumed,
    /// as a scan's never are: it spares each scanned server that work. Sets the JDK's
    /// `jdk.tls.client.disableExtensions` unless it is set already, and so takes effect only when called
    /// before the process's first TLS connection. Meant for processes whose TLS clients can all go without
    /// resumption, such as `certwright scan`; a scanner inside a long-running server does without it.
    public static void withoutSessionResumption() {
        if (System.getProperty(DISABLED_CLIENT_EXTENSIONS) == null) {
            System.setProperty(DISABLED_CLIENT_EXTENSIONS, "psk_key_exchange_modes");
        }
    }

    public ScanSettings settings() {
        return settings;
    }

    /// Scans every target and returns the results in the order of `targets`, telling `listener` of each as
    /// it completes.
    ///
    /// @throws InterruptedException when interrupted; targets in flight are abandoned
    public ScanReport scan(List<TlsTarget> targets, ScanListener listener) throws InterruptedException {
        Instant started = clock.instant();
        AtomicReferenceArray<Observation> results = new AtomicReferenceArray<>(targets.size());
        Semaphore permits = new Semaphore(settings.concurrency());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < targets.size(); i++) {
                try {
                    permits.acquire();
                } catch (InterruptedException e) {
                    threads.shutdownNow();
                    throw e;
                }
                int index = i;
                TlsTarget target = targets.get(i);
                threads.execute(() -> {
                    try {
                        Observation o = scan(target);
                        results.set(index, o);
                        listener.observed(o);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        List<Observation> ordered = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Observation o = results.get(i);
            ordered.add(o != null ? o : new ScanError(targets.get(i).display(), ErrorKind.HANDSHAKE_FAILED,
                    "the scan of this target ended without a result", clock.instant()));
        }
        return ScanReport.of(ordered, started, clock.instant());
    }

    /// Scans one target, retrying once if the settings say so and the failure may pass.
    public Observation scan(TlsTarget target) {
        Observation last = attemptWithFallback(target);
        for (int n = 1; n < settings.attempts() && last instanceof ScanError e && retryable(e.kind()); n++) {
            last = attemptWithFallback(target);
        }
        return last;
    }

    /// One attempt offering the ECDHE groups only and, when that handshake fails, one more at once offering
    /// the JDK's default groups, for servers that accept nothing but X25519 or finite-field groups.
    private Observation attemptWithFallback(TlsTarget target) {
        String[] groups = ecdheGroups;
        Observation first = attempt(target, groups);
        if (groups != null && first instanceof ScanError e && e.kind() == ErrorKind.HANDSHAKE_FAILED) {
            return attempt(target, null);
        }
        return first;
    }

    private static boolean retryable(ErrorKind kind) {
        return switch (kind) {
            case UNREACHABLE, REFUSED, TIMEOUT, HANDSHAKE_FAILED -> true;
            case INVALID_TARGET, UNRESOLVED, NOT_TLS, STARTTLS_FAILED, MALFORMED_CERTIFICATE, UNREADABLE,
                 WRONG_PASSWORD -> false;
        };
    }

    private Observation attempt(TlsTarget target, String @Nullable [] namedGroups) {
        Instant seen = clock.instant();
        String where = target.display();
        InetAddress address;
        try {
            address = Targets.isIpLiteral(target.host()) ? InetAddress.ofLiteral(target.host())
                    : InetAddress.getByName(target.host());
        } catch (UnknownHostException e) {
            return new ScanError(where, ErrorKind.UNRESOLVED, "unknown host " + target.host(), seen);
        } catch (RuntimeException e) {
            return new ScanError(where, ErrorKind.INVALID_TARGET, describe(e), seen);
        }
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()));
        Socket plain = new BufferedSocket();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(plain);
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            // No connect or read timeout of the socket's own: the deadline above closes the socket, which ends
            // a blocked connect or read at once.
            plain.connect(new InetSocketAddress(address, target.port()));
            plain.setTcpNoDelay(true);
            StartTlsPreamble.negotiate(plain, target.starttls());
            Optional<String> sni = target.serverName().filter(n -> !Targets.isIpLiteral(n));
            String peer = sni.orElse(address.getHostAddress());
            // Not closed on its own: closing `plain` below ends the connection without a close_notify.
            SSLSocket tls = (SSLSocket) factory.createSocket(plain, peer, target.port(), true);
            SSLParameters params = tls.getSSLParameters();
            params.setServerNames(sni.<List<javax.net.ssl.SNIServerName>>map(n -> List.of(new SNIHostName(n)))
                    .orElse(List.of()));
            if (namedGroups != null) {
                params.setNamedGroups(namedGroups);
            }
            tls.setSSLParameters(params);
            tls.startHandshake();
            SSLSession session = tls.getSession();
            List<X509Certificate> chain = x509(session.getPeerCertificates());
            boolean stapled = session instanceof ExtendedSSLSession ext && !ext.getStatusResponses().isEmpty();
            String protocol = session.getProtocol();
            String suite = session.getCipherSuite();
            session.invalidate();
            closeQuietly(plain);
            if (chain.isEmpty()) {
                return new ScanError(where, ErrorKind.MALFORMED_CERTIFICATE, "the server presented no X.509 certificate",
                        seen);
            }
            Instant judged = clock.instant();
            String name = target.serverName().orElse(address.getHostAddress());
            TlsDetails details = new TlsDetails(protocol, suite, stapled, extraRoots.check(chain, judged),
                    jdkRoots.check(chain, judged), NameMatcher.match(chain.getFirst(), name));
            Place.Endpoint place = new Place.Endpoint(target.host(), target.port(), sni, address.getHostAddress(),
                    target.starttls());
            return Finding.of(place, chain, seen, Optional.of(details));
        } catch (IOException | RuntimeException e) {
            return classify(where, target, e, expired.get(), seen);
        } finally {
            deadline.cancel(false);
            closeQuietly(plain);
        }
    }

    private ScanError classify(String where, TlsTarget target, Exception e, boolean expired, Instant seen) {
        if (expired || e instanceof SocketTimeoutException) {
            return new ScanError(where, ErrorKind.TIMEOUT, "no " + (target.starttls() == Starttls.NONE ? "" : "STARTTLS and ")
                    + "TLS handshake within " + settings.timeout().toMillis() + " ms", seen);
        }
        String message = describe(e);
        String lower = message.toLowerCase(Locale.ROOT);
        return switch (e) {
            case StartTlsPreamble.RefusedException r -> new ScanError(where, ErrorKind.STARTTLS_FAILED, message, seen);
            case ConnectException c when lower.contains("refused") ->
                    new ScanError(where, ErrorKind.REFUSED, "connection refused (port closed)", seen);
            case ConnectException c -> new ScanError(where, ErrorKind.UNREACHABLE, message, seen);
            case NoRouteToHostException n -> new ScanError(where, ErrorKind.UNREACHABLE, message, seen);
            case SSLPeerUnverifiedException p ->
                    new ScanError(where, ErrorKind.MALFORMED_CERTIFICATE, "the server presented no certificate", seen);
            case SSLException s -> classifyTls(where, s, message, lower, seen);
            case EOFException eof ->
                    new ScanError(where, ErrorKind.HANDSHAKE_FAILED, "the server closed the connection", seen);
            case IOException io when lower.contains("unreachable") || lower.contains("no route") ->
                    new ScanError(where, ErrorKind.UNREACHABLE, message, seen);
            default -> new ScanError(where, ErrorKind.HANDSHAKE_FAILED, message, seen);
        };
    }

    private static ScanError classifyTls(String where, SSLException s, String message, String lower, Instant seen) {
        if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("plaintext")) {
            return new ScanError(where, ErrorKind.NOT_TLS, "the service does not speak TLS on this port", seen);
        }
        if (lower.contains("certificate chain length") || hasCause(s, CertificateException.class)
                || lower.contains("bad_certificate") || lower.contains("certificate_unknown")) {
            return new ScanError(where, ErrorKind.MALFORMED_CERTIFICATE, message, seen);
        }
        if (lower.contains("no appropriate protocol")) {
            return new ScanError(where, ErrorKind.HANDSHAKE_FAILED, "no protocol version or cipher suite in common: "
                    + "this JDK offers TLSv1.3 and TLSv1.2 and disables older versions and weak suites "
                    + "(jdk.tls.disabledAlgorithms)", seen);
        }
        if (lower.contains("protocol_version")) {
            return new ScanError(where, ErrorKind.HANDSHAKE_FAILED, "the server speaks no TLS version this JDK allows "
                    + "(TLSv1.3, TLSv1.2): " + message, seen);
        }
        if (lower.contains("remote host terminated") || lower.contains("connection reset")) {
            return new ScanError(where, ErrorKind.HANDSHAKE_FAILED,
                    "the server closed the connection during the handshake", seen);
        }
        return new ScanError(where, ErrorKind.HANDSHAKE_FAILED, message, seen);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static List<X509Certificate> x509(Certificate[] certs) {
        List<X509Certificate> out = new ArrayList<>(certs.length);
        for (Certificate c : certs) {
            if (c instanceof X509Certificate x) {
                out.add(x);
            }
        }
        return out;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is best effort; the attempt's result is already decided
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "certwright-scan-deadline");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
