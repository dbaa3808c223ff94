package io.certwright.inventory.discovery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.Socket;
import org.jspecify.annotations.Nullable;

/// A direct TCP socket (never through a proxy) whose streams are buffered, for a TLS socket layered on it.
///
/// The JDK's TLS socket writes and reads its layered socket's streams record by record: unbuffered, each
/// record read takes at least two system calls (its header, then its body), and a TLS 1.3 client's
/// compatibility `change_cipher_spec` record goes out on its own, in a TCP segment of its own, before the
/// client's `Finished`. JSSE flushes its stream whenever what it wrote must reach the peer (it expects the
/// `change_cipher_spec` to be flushed with the `Finished`), so buffering changes no byte on the wire, only how
/// many system calls and TCP segments carry them: a server's whole first flight is usually read at once, and
/// the client's last flight is sent at once. The streams are the same for every caller, so a STARTTLS
/// preamble read through them leaves whatever the server sent after it to the TLS layer, as an unbuffered
/// read would.
final class BufferedSocket extends Socket {

    /// Larger than the largest TLS record (16 KiB of plaintext, its 5-byte header and up to 256 bytes of
    /// expansion), so one read can take in several of a server's handshake records.
    private static final int READ_BUFFER = 17 * 1024;
    /// A ClientHello and a client's last flight fit in far less; a larger write goes out directly.
    private static final int WRITE_BUFFER = 4 * 1024;

    private @Nullable InputStream in;
    private @Nullable OutputStream out;

    BufferedSocket() {
        super(Proxy.NO_PROXY);
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        // The socket's own checks (closed, not connected, input shut down) apply on every call.
        InputStream raw = super.getInputStream();
        InputStream buffered = in;
        if (buffered == null) {
            buffered = new BufferedInputStream(raw, READ_BUFFER);
            in = buffered;
        }
        return buffered;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        OutputStream raw = super.getOutputStream();
        OutputStream buffered = out;
        if (buffered == null) {
            buffered = new BufferedOutputStream(raw, WRITE_BUFFER);
            out = buffered;
        }
        return buffered;
    }
}
