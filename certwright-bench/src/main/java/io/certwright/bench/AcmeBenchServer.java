package io.certwright.bench;

import io.certwright.server.CertwrightServer;
import io.certwright.server.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Base64;

/// The Certwright server as the ACME benchmark's child process: `AcmeBenchServer DATA_DIR CONFIG_FILE
/// READY_FILE`.
///
/// Like [BenchServer], but everything except the data directory comes from the YAML configuration file
/// (listen address, trust domain, database, and the `acme.*` keys with the base URL the ACME URLs are built
/// from), as an operator would run `certwright server --config`. Writes `READY_FILE` once serving: the base
/// URL on the first line, the root certificate in PEM after it. Stops when its standard input is closed.
public final class AcmeBenchServer {

    private AcmeBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: AcmeBenchServer DATA_DIR CONFIG_FILE READY_FILE");
            System.exit(2);
        }
        Path ready = Path.of(args[2]);
        ServerOptions options = ServerOptions.defaults()
                .withDataDir(Path.of(args[0]))
                .withConfigFile(Path.of(args[1]))
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
