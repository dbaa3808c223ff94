package io.certwright.ca.internal.x509;

/// Locating elements inside DER without decoding them, so signatures are checked over exactly the bytes
/// that were signed.
final class DerSlices {

    private DerSlices() {
    }

    /// Offset and length of the first element inside the outer SEQUENCE of `der` (for a CSR, the
    /// CertificationRequestInfo; for a certificate, the TBSCertificate).
    ///
    /// @throws IllegalArgumentException when `der` is not a definite-length SEQUENCE holding an element
    static int[] firstElement(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        int inner = 1 + lengthOfLengthField(der, 1);
        if (inner + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int header = 1 + lengthOfLengthField(der, inner + 1);
        long total = (long) header + contentLength(der, inner + 1);
        if (inner + total > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new int[] {inner, (int) total};
    }

    private static int lengthOfLengthField(byte[] der, int at) {
        int first = der[at] & 0xFF;
        if (first < 0x80) {
            return 1;
        }
        int n = first & 0x7F;
        if (n == 0 || n > 4 || at + n >= der.length) {
            throw new IllegalArgumentException("unsupported DER length");
        }
        return 1 + n;
    }

    private static int contentLength(byte[] der, int at) {
        int first = der[at] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7F;
        long len = 0;
        for (int i = 1; i <= n; i++) {
            len = (len << 8) | (der[at + i] & 0xFF);
        }
        if (len > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("DER length too large");
        }
        return (int) len;
    }
}
