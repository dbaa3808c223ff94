package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.CaDirectory;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Pem;
import io.certwright.ca.TrustBundle;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.Passphrase;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/// `certwright demo`: a CA, an SVID, a server certificate, PKIX validation and a real mutual-TLS handshake,
/// all in a fresh temporary directory that is left in place for a closer look.
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run an end-to-end demo in a new temporary directory: create a CA, issue an X.509-SVID and "
            + "a server certificate, validate both chains with the JDK's PKIX validator, and perform a mutual-TLS "
            + "handshake (TLS 1.3) on 127.0.0.1 between them.",
            "The directory is kept so the files can be inspected afterwards."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    static final TrustDomain TRUST_DOMAIN = new TrustDomain("demo.certwright.test");
    static final SpiffeId CLIENT_ID = SpiffeId.parse("spiffe://demo.certwright.test/ns/demo/sa/client");
    private static final KeyAlgorithm KEY_TYPE = KeyAlgorithm.P256;
    private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    /// What the server side of the handshake saw.
    private record ServerView(String peerSpiffeId, String protocol, String cipherSuite) {
    }

    @Override
    public Integer call() throws Exception {
        Clock clock = Main.of(spec).clock();
        PrintWriter out = spec.commandLine().getOut();
        SecureRandom random = new SecureRandom();
        Path base = Files.createTempDirectory("certwright-demo-");
        Path caDir = base.resolve("ca");
        out.println("Certwright demo in " + base);
        out.println();

        // 1. A CA whose intermediate may only issue in the demo trust domain and below localhost.
        Path passphraseFile = base.resolve("ca-passphrase.txt");
        CaDirectory ca;
        CertificateAuthority authority;
        try (Passphrase passphrase = Passphrase.random(random)) {
            char[] chars = passphrase.chars();
            try {
                AtomicFiles.writeString(passphraseFile, new String(chars) + "\n", AtomicFiles.SECRET);
            } finally {
                java.util.Arrays.fill(chars, '\0');
            }
            CaSpec caSpec = CaSpec.of(KEY_TYPE, "Certwright Demo").withTrustDomain(TRUST_DOMAIN, true)
                    .withPermittedDns(List.of("localhost"));
            ca = CaDirectory.init(caDir, caSpec, passphrase, clock);
            authority = ca.unlock(passphrase, clock);
        }
        step(out, "Created a CA in " + caDir);
        Text.row(out, "    ", "Root", ca.root().getSubjectX500Principal().getName());
        Text.row(out, "    ", "  SHA-256", Text.sha256(ca.root()));
        Text.row(out, "    ", "Intermediate", ca.intermediate().getSubjectX500Principal().getName());
        Text.row(out, "    ", "  SHA-256", Text.sha256(ca.intermediate()));
        Text.row(out, "    ", "  Constraints", CaShowCommand.nameConstraints(ca.intermediate()));
        Text.row(out, "    ", "Key type", KEY_TYPE.description() + ", keys encrypted with a random passphrase");
        Text.row(out, "    ", "Passphrase", passphraseFile + " (0600)");
        Text.row(out, "    ", "Signing", CryptoProviders.describe(KEY_TYPE));

        // 2. An X.509-SVID for the client workload.
        KeyPair clientKey = CryptoProviders.generate(KEY_TYPE);
        IssuedCertificate svid = authority.issue(new IssuanceRequest(Profile.SVID, clientKey.getPublic(),
                Optional.empty(), SubjectNames.ofSpiffeId(CLIENT_ID), Optional.of(Duration.ofHours(1))));
        Path clientDir = write(base.resolve("client"), svid, clientKey, authority.trustBundle());
        step(out, "Issued an X.509-SVID for " + CLIENT_ID);
        issued(out, svid, clientDir);

        // 3. A server certificate for localhost and 127.0.0.1.
        KeyPair serverKey = CryptoProviders.generate(KEY_TYPE);
        SubjectNames serverNames = new SubjectNames(List.of("localhost"), List.of(InetAddress.getByAddress(
                "127.0.0.1", new byte[] {127, 0, 0, 1})), List.of(), List.of());
        IssuedCertificate server = authority.issue(new IssuanceRequest(Profile.SERVER, serverKey.getPublic(),
                Optional.empty(), serverNames, Optional.of(Duration.ofHours(1))));
        Path serverDir = write(base.resolve("server"), server, serverKey, authority.trustBundle());
        step(out, "Issued a server certificate for localhost and 127.0.0.1");
        issued(out, server, serverDir);

        // 4. Both chains validate with the JDK's own PKIX implementation.
        TrustBundle bundle = authority.trustBundle();
        validate(svid, bundle);
        validate(server, bundle);
        step(out, "Validated both chains with the JDK PKIX CertPathValidator");
        Text.row(out, "    ", "Trust anchor", ca.root().getSubjectX500Principal().getName());
        Text.row(out, "    ", "Checked", "signatures, validity, basic constraints, name constraints, key usage");

        // 5. Mutual TLS between the two.
        SSLContext serverCtx = context(server, serverKey, bundle, random);
        SSLContext clientCtx = context(svid, clientKey, bundle, random);
        InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "certwright-demo-server");
            t.setDaemon(true);
            return t;
        });
        try (SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            listener.setNeedClientAuth(true);
            listener.setSoTimeout(InspectCommand.TIMEOUT_MILLIS);
            int port = listener.getLocalPort();
            Future<ServerView> serverSide = executor.submit(() -> serve(listener));
            String greeting;
            SSLSession clientSession;
            try (SSLSocket socket = (SSLSocket) clientCtx.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(loopback, port), InspectCommand.TIMEOUT_MILLIS);
                socket.setSoTimeout(InspectCommand.TIMEOUT_MILLIS);
                SSLParameters params = socket.getSSLParameters();
                params.setProtocols(new String[] {"TLSv1.3"});
                params.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(params);
                socket.startHandshake();
                clientSession = socket.getSession();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                greeting = String.valueOf(in.readLine());
            }
            ServerView view = serverSide.get(InspectCommand.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (!view.peerSpiffeId().equals(CLIENT_ID.toString())) {
                throw new GeneralSecurityException("the server saw SPIFFE ID " + view.peerSpiffeId() + ", expected "
                        + CLIENT_ID);
            }
            step(out, "Mutual TLS handshake on 127.0.0.1:" + port);
            Text.row(out, "    ", "Protocol", view.protocol() + ", " + view.cipherSuite());
            Text.row(out, "    ", "Server", "required a client certificate; the client presented SPIFFE ID "
                    + view.peerSpiffeId());
            Text.row(out, "    ", "Client", "verified the server certificate for " + loopback.getHostName() + " ("
                    + Text.sha256((X509Certificate) clientSession.getPeerCertificates()[0]).substring(0, 23) + "...)");
            Text.row(out, "    ", "Server said", greeting);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("the TLS server side failed: " + ErrorHandler.message(cause), cause);
        } catch (TimeoutException e) {
            throw new IOException("the TLS handshake did not finish within 10 s", e);
        } finally {
            executor.shutdownNow();
        }
        out.println();
        out.println("Everything is kept in " + base + ". Try:");
        out.println("  certwright inspect " + clientDir.resolve("chain.pem"));
        out.println("  certwright ca show --dir " + caDir);
        out.println("  certwright issue --dir " + caDir + " --passphrase-file " + passphraseFile
                + " --profile svid --spiffe-id spiffe://" + TRUST_DOMAIN + "/ns/demo/sa/another --ttl 1h --out "
                + base.resolve("another"));
        out.flush();
        return 0;
    }

    private static void step(PrintWriter out, String what) {
        out.println(Text.CHECK + " " + what);
    }

    private static void issued(PrintWriter out, IssuedCertificate issued, Path dir) {
        X509Certificate c = issued.certificate();
        Text.row(out, "    ", "Serial", Text.serial(c));
        Text.row(out, "    ", "Names", CertificateReport.sans(c).stream().map(Object::toString).toList());
        Text.row(out, "    ", "Valid", Text.validity(c));
        Text.row(out, "    ", "SHA-256", Text.sha256(c));
        Text.row(out, "    ", "Files", dir + "/{cert,key,chain,bundle}.pem");
    }

    private static Path write(Path dir, IssuedCertificate issued, KeyPair key, TrustBundle bundle) throws IOException {
        AtomicFiles.createDirectory(dir, AtomicFiles.PRIVATE_DIR);
        AtomicFiles.writeString(dir.resolve("cert.pem"), Pem.certificate(issued.certificate()), AtomicFiles.PUBLIC);
        AtomicFiles.writeString(dir.resolve("chain.pem"), Pem.certificates(issued.fullChain()), AtomicFiles.PUBLIC);
        AtomicFiles.writeString(dir.resolve("bundle.pem"), bundle.pem(), AtomicFiles.PUBLIC);
        AtomicFiles.writeString(dir.resolve("key.pem"), Pem.privateKey(key.getPrivate()), AtomicFiles.SECRET);
        return dir;
    }

    private static void validate(IssuedCertificate issued, TrustBundle bundle) throws GeneralSecurityException {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(issued.fullChain());
        PKIXParameters params = new PKIXParameters(bundle.anchors());
        params.setRevocationEnabled(false);
        PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                .validate(path, params);
        if (result.getPublicKey() == null) {
            throw new GeneralSecurityException("PKIX validation returned no public key");
        }
    }

    /// An SSL context presenting `issued` with its key and trusting the bundle's roots, from in-memory key stores.
    private static SSLContext context(IssuedCertificate issued, KeyPair key, TrustBundle bundle, SecureRandom random)
            throws GeneralSecurityException, IOException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("identity", key.getPrivate(), STORE_PASSWORD,
                issued.fullChain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        int i = 0;
        for (X509Certificate root : bundle.roots()) {
            anchors.setCertificateEntry("root-" + i++, root);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
        return ctx;
    }

    /// Accepts one connection, completes the handshake, reads the client's SPIFFE ID and greets it.
    private static ServerView serve(SSLServerSocket listener) throws IOException {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(InspectCommand.TIMEOUT_MILLIS);
            socket.startHandshake();
            SSLSession session = socket.getSession();
            X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
            String id = CertificateReport.spiffeId(peer).map(SpiffeId::toString).orElse("(none)");
            Writer w = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
            w.write("hello " + id + "\n");
            w.flush();
            return new ServerView(id, session.getProtocol(), session.getCipherSuite());
        }
    }
}
