package io.certwright.ca.internal.x509;

import java.util.Arrays;

/// A growable byte buffer that writes DER tag-and-length headers (definite form, X.690 §8.1.3), for
/// framing content that was encoded elsewhere.
final class DerBuffer {

    private byte[] bytes;
    private int size;

    DerBuffer(int capacity) {
        this.bytes = new byte[Math.max(16, capacity)];
    }

    /// Octets a tag (single byte) and a definite length of `length` take.
    static int headerLength(int length) {
        if (length < 0x80) {
            return 2;
        }
        int octets = 0;
        for (int l = length; l > 0; l >>>= 8) {
            octets++;
        }
        return 2 + octets;
    }

    void header(int tag, int length) {
        ensure(headerLength(length));
        bytes[size++] = (byte) tag;
        if (length < 0x80) {
            bytes[size++] = (byte) length;
            return;
        }
        int octets = headerLength(length) - 2;
        bytes[size++] = (byte) (0x80 | octets);
        for (int b = octets - 1; b >= 0; b--) {
            bytes[size++] = (byte) (length >>> (8 * b));
        }
    }

    void write(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, size, data.length);
        size += data.length;
    }

    void writeTo(DerBuffer other) {
        other.ensure(size);
        System.arraycopy(bytes, 0, other.bytes, other.size, size);
        other.size += size;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("DER structure too large");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
