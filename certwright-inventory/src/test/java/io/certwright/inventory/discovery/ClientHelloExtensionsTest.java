package io.certwright.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/// What a scan's ClientHello offers, read off the wire by a plain TCP server that parses it: after
/// [TlsScanner#withoutSessionResumption] (as `certwright scan` calls it first thing) there is no
/// `psk_key_exchange_modes` extension, so TLS 1.3 servers mint no session tickets for the scan; without it
/// the JDK's default ClientHello has one. Each case runs in its own JVM, since the JDK reads the setting once.
class ClientHelloExtensionsTest {

    private static final int PSK_KEY_EXCHANGE_MODES = 0x002d;
    private static final int SERVER_NAME = 0x0000;

    /// Scans `127.0.0.1:<port>` once; with `quiet` as its first argument, after asking for no resumption.
    public static void main(String[] args) throws Exception {
        if (args[0].equals("quiet")) {
            TlsScanner.withoutSessionResumption();
        }
        TlsScanner scanner = new TlsScanner(ScanSettings.defaults().withTimeout(Duration.ofSeconds(5)),
                Clock.systemUTC());
        scanner.scan(List.of(new TlsTarget("127.0.0.1", Integer.parseInt(args[1]), Optional.of("hello.test"),
                Starttls.NONE)), ScanListener.NONE);
    }

    private static List<Integer> extensionsOfAScan(boolean quiet) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<Integer>> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    return extensions(new DataInputStream(s.getInputStream()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    ClientHelloExtensionsTest.class.getName(), quiet ? "quiet" : "default",
                    Integer.toString(server.getLocalPort())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                return seen.get(60, TimeUnit.SECONDS);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /// The extension types of the ClientHello in the first TLS record read from `in`.
    private static List<Integer> extensions(DataInputStream in) throws IOException {
        assertThat(in.readUnsignedByte()).as("handshake record").isEqualTo(22);
        in.readUnsignedShort();
        byte[] record = new byte[in.readUnsignedShort()];
        in.readFully(record);
        DataInputStream h = new DataInputStream(new ByteArrayInputStream(record));
        assertThat(h.readUnsignedByte()).as("ClientHello").isEqualTo(1);
        h.skipNBytes(3 + 2 + 32);
        h.skipNBytes(h.readUnsignedByte());
        h.skipNBytes(h.readUnsignedShort());
        h.skipNBytes(h.readUnsignedByte());
        int left = h.readUnsignedShort();
        List<Integer> types = new ArrayList<>();
        while (left > 0) {
            int type = h.readUnsignedShort();
            int length = h.readUnsignedShort();
            h.skipNBytes(length);
            types.add(type);
            left -= 4 + length;
        }
        return types;
    }

    @Test
    void aScanAfterWithoutSessionResumptionOffersNoPskKeyExchangeModes() throws Exception {
        List<Integer> types = extensionsOfAScan(true);
        assertThat(types).contains(SERVER_NAME).doesNotContain(PSK_KEY_EXCHANGE_MODES);
    }

    @Test
    void aScanWithTheJdkDefaultsOffersPskKeyExchangeModes() throws Exception {
        assertThat(extensionsOfAScan(false)).contains(SERVER_NAME, PSK_KEY_EXCHANGE_MODES);
    }
}
