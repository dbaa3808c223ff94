package io.certwright.acme.validation;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/// The one piece of DER that validation reads: an OCTET STRING, as `X509Certificate.getExtensionValue`
/// returns an extension's value and as RFC 8737 wraps the acmeIdentifier digest.
final class Der {

    private static final int OCTET_STRING = 0x04;

    private Der() {
    }

    /// The content of `der` when `der` is exactly one OCTET STRING in DER (definite, minimal length, nothing
    /// after it), else null.
    static byte @Nullable [] octetString(byte[] der) {
        if (der.length < 2 || (der[0] & 0xff) != OCTET_STRING) {
            return null;
        }
        int first = der[1] & 0xff;
        int offset;
        long length;
        if (first < 0x80) {
            length = first;
            offset = 2;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 4 || der.length < 2 + count) {
                return null;
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[2 + i] & 0xff);
            }
            if (length < 0x80 || (der[2] & 0xff) == 0) {
                return null; // not the shortest form, so not DER
            }
            offset = 2 + count;
        }
        if (offset + length != der.length) {
            return null;
        }
        return Arrays.copyOfRange(der, offset, der.length);
    }
}
