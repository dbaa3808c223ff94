package io.certwright.bench;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Issuer;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/// The endpoints of the TLS scan benchmark, in a process of their own so that a scanner measured against them
/// pays only for the client side of each handshake: N TLS listeners on 127.0.0.1, each with its own P-256
/// certificate issued by an in-memory CA (root and intermediate), every connection served on a virtual
/// thread by the JDK's `SSLServerSocket`.
///
/// Started by [ScanBenchmark] as `ScanTargets ENDPOINTS`. When every listener is open it prints to
/// standard output a line `root BASE64` (the DER of the CA's root) and then `ready PORT,PORT,...`. For each
/// line `count` read from standard input it answers `count ACCEPTED HANDSHAKES`: the connections accepted and
/// the TLS handshakes completed so far. It serves until its standard input is closed, so it never outlives the
/// benchmark.
public final class ScanTargets {

    private static final AtomicLong ACCEPTED = new AtomicLong();
    private static final AtomicLong HANDSHAKES = new AtomicLong();

    private ScanTargets() {
    }

    public static void main(String[] args) throws Exception {
        int endpoints = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        CryptoProviders.installPreferred();
        List<ServerSocket> listeners = new ArrayList<>(endpoints);
        X509Certificate root = start(endpoints, listeners);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        out.println("root " + Base64.getEncoder().encodeToString(root.getEncoded()));
        out.println("ready " + listeners.stream().map(s -> String.valueOf(s.getLocalPort()))
                .collect(Collectors.joining(",")));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("count")) {
                out.println("count " + ACCEPTED.get() + " " + HANDSHAKES.get());
            }
        }
        for (ServerSocket s : listeners) {
            s.close();
        }
        System.exit(0);
    }

    private static X509Certificate start(int endpoints, List<ServerSocket> listeners) throws Exception {
        Clock clock = Clock.systemUTC();
        InMemoryLedger ledger = new InMemoryLedger();
        CaMaterial m = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Scan Bench"), clock, new SecureRandom(), ledger);
        Issuer issuer = new Issuer(m.intermediate(), List.of(),
                JcaSigningKey.of(KeyAlgorithm.P256, m.intermediateKey(), m.intermediate().getPublicKey()), Optional.empty());
        CertificateAuthority ca = new CertificateAuthority(issuer, List.of(m.root()), CaSettings.defaults(List.of()),
                ledger, clock, new SecureRandom());
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < endpoints; i++) {
            KeyPair key = CryptoProviders.generate(KeyAlgorithm.P256);
            IssuedCertificate cert = ca.issue(new IssuanceRequest(Profile.SERVER, key.getPublic(), Optional.empty(),
                    new SubjectNames(List.of("endpoint-" + i + ".bench.test"), List.of(InetAddress.getLoopbackAddress()),
                            List.of(), List.of()), Optional.of(Duration.ofDays(7))));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new OneKey(key.getPrivate(), cert.fullChain())}, null, random);
            SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory()
                    .createServerSocket(0, 512, InetAddress.getLoopbackAddress());
            listeners.add(listener);
            Thread.ofVirtual().start(() -> serve(listener));
        }
        return m.root();
    }

    /// Presents one key and its chain to every client, whatever it asks for. Unlike a keystore's key
    /// manager it needs no password-based encryption of each key, which made starting 2,000 endpoints slow.
    private static final class OneKey extends X509ExtendedKeyManager {

        private static final String ALIAS = "endpoint";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        OneKey(PrivateKey key, List<X509Certificate> chain) {
            this.key = key;
            this.chain = chain.toArray(X509Certificate[]::new);
        }

        @Override
        public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            return keyType.equals(key.getAlgorithm()) ? ALIAS : null;
        }

        @Override
        public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
            return chooseServerAlias(keyType, issuers, null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal @Nullable [] issuers) {
            return keyType.equals(key.getAlgorithm()) ? new String[] {ALIAS} : new String[0];
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal @Nullable [] issuers) {
            return new String[0];
        }

        @Override
        public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers,
                @Nullable Socket socket) {
            return null;
        }
    }

    private static void serve(SSLServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) listener.accept();
                ACCEPTED.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    try (s; InputStream in = s.getInputStream()) {
                        s.setSoTimeout(60_000);
                        s.startHandshake();
                        HANDSHAKES.incrementAndGet();
                        in.read();
                    } catch (IOException | RuntimeException e) {
                        // scanners hang up after the handshake, nmap's port scan before it
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }
}
