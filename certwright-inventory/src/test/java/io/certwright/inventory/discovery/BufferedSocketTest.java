package io.certwright.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/// The buffered socket under the scanner's TLS connections, against a plain TCP peer on loopback.
class BufferedSocketTest {

    @Test
    void everyReaderSharesOneBufferSoBytesReadAheadAreNotLost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             BufferedSocket client = new BufferedSocket()) {
            client.connect(server.getLocalSocketAddress());
            try (Socket peer = server.accept()) {
                // One write: a preamble line and what follows it arrive together, as a server's STARTTLS answer
                // and its first TLS bytes may.
                peer.getOutputStream().write("220 go ahead\r\nTLS".getBytes(StandardCharsets.US_ASCII));
                peer.getOutputStream().flush();
                InputStream preamble = client.getInputStream();
                StringBuilder line = new StringBuilder();
                for (int c = preamble.read(); c != '\n'; c = preamble.read()) {
                    line.append((char) c);
                }
                assertThat(line).hasToString("220 go ahead\r");
                assertThat(client.getInputStream()).isSameAs(preamble);
                assertThat(client.getInputStream().readNBytes(3)).asString(StandardCharsets.US_ASCII).isEqualTo("TLS");
            }
        }
    }

    @Test
    void writesReachThePeerWhenFlushed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             BufferedSocket client = new BufferedSocket()) {
            client.connect(server.getLocalSocketAddress());
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(10_000);
                OutputStream out = client.getOutputStream();
                out.write(new byte[] {1, 2});
                client.getOutputStream().write(3);
                out.flush();
                assertThat(peer.getInputStream().readNBytes(3)).containsExactly(1, 2, 3);
            }
        }
    }
}
