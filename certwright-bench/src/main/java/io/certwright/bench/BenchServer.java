package io.certwright.bench;

import io.certwright.core.TrustDomain;
import io.certwright.server.CertwrightServer;
import io.certwright.server.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Base64;

/// The Certwright server as the load generator's child process: `BenchServer DATA_DIR TRUST_DOMAIN READY_FILE`.
///
/// Starts [CertwrightServer] exactly as `certwright server` does (configuration from the environment, so
/// `CERTWRIGHT_DATABASE_URL` selects PostgreSQL), on a free loopback port, then writes `READY_FILE`: the
/// base URL on the first line, the root certificate in PEM after it. It stops when its standard input is
/// closed, which is how the load generator ends it.
public final class BenchServer {

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BenchServer DATA_DIR TRUST_DOMAIN READY_FILE");
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
            Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
            Files.writeString(tmp, server.url() + "\n" + pem, StandardCharsets.UTF_8);
            Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
            waitForEndOfInput(System.in);
        }
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // anything written to us is ignored; end of input means stop
            }
        } catch (IOException e) {
            // the parent went away: stop as well
        }
    }
}
