package io.certwright.bench;

import io.certwright.ca.keys.Passphrase;
import io.certwright.core.TrustDomain;
import io.certwright.server.CertwrightServer;
import io.certwright.server.ServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/// The Certwright server as the workload benchmark's child process:
/// `WorkloadBenchServer DATA_DIR TRUST_DOMAIN READY_FILE`.
///
/// Starts [CertwrightServer] as `certwright server` does, on a free loopback port, and writes `READY_FILE`
/// (the base URL on the first line, the root certificate in PEM after it), as [BenchServer] does. It then
/// reads commands, one per line, from its standard input:
///
/// | command | effect |
/// |---|---|
/// | `rotate-jwt` | publishes a new JWT-SVID signing key ([io.certwright.ca.workload.JwtKeys#prepareNext]), so the trust bundle's `spiffe_sequence` grows, then writes `READY_FILE.rotated` with the new sequence |
///
/// End of input stops the server.
public final class WorkloadBenchServer {

    private WorkloadBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: WorkloadBenchServer DATA_DIR TRUST_DOMAIN READY_FILE");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]);
        Path ready = Path.of(args[2]);
        ServerOptions options = ServerOptions.defaults()
                .withDataDir(dataDir)
                .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withTrustDomain(TrustDomain.parse(args[1]))
                .withEnvironment(System.getenv());
        try (CertwrightServer server = CertwrightServer.start(options, Clock.systemUTC())) {
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(server.root().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            writeAtomically(ready, server.url() + "\n" + pem);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = readLine(in)) != null) {
                if (line.strip().equals("rotate-jwt")) {
                    try (Passphrase passphrase = passphrase(dataDir)) {
                        server.jwtKeys().prepareNext(passphrase);
                    }
                    writeAtomically(ready.resolveSibling(ready.getFileName() + ".rotated"),
                            Long.toString(server.jwtKeys().sequence()) + "\n");
                } else if (!line.isBlank()) {
                    System.err.println("WorkloadBenchServer: unknown command '" + line.strip() + "'");
                }
            }
        }
    }

    /// The CA passphrase as the server found it: from the environment, else the file it generated.
    private static Passphrase passphrase(Path dataDir) throws IOException {
        Optional<Passphrase> env = Passphrase.fromEnvironment();
        return env.isPresent() ? env.get() : Passphrase.fromFile(dataDir.resolve("secrets").resolve("ca.passphrase"));
    }

    private static @org.jspecify.annotations.Nullable String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            return null; // the parent went away: stop as well
        }
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
