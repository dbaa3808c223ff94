package io.certwright.inventory;

import java.util.HexFormat;
import java.util.Optional;

/// Reads the key identifiers of the Authority and Subject Key Identifier extensions
/// ([RFC 5280 §4.2.1.1 and §4.2.1.2](https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.1)) from the
/// bytes `X509Certificate.getExtensionValue` returns. Malformed input gives an empty result, never an exception.
final class KeyIdentifiers {

    private static final int OCTET_STRING = 0x04;
    private static final int SEQUENCE = 0x30;
    private static final int KEY_IDENTIFIER_TAG = 0x80;

    private KeyIdentifiers() {
    }

    /// The `keyIdentifier` of an AuthorityKeyIdentifier extension value, as lowercase hex.
    static Optional<String> authorityKeyId(byte @org.jspecify.annotations.Nullable [] extensionValue) {
        if (extensionValue == null) {
            return Optional.empty();
        }
        Tlv outer = Tlv.read(extensionValue, 0, extensionValue.length);
        if (outer == null || outer.tag != OCTET_STRING) {
            return Optional.empty();
        }
        Tlv seq = Tlv.read(extensionValue, outer.valueStart, outer.valueEnd);
        if (seq == null || seq.tag != SEQUENCE) {
            return Optional.empty();
        }
        Tlv first = Tlv.read(extensionValue, seq.valueStart, seq.valueEnd);
        if (first == null || first.tag != KEY_IDENTIFIER_TAG || first.valueEnd == first.valueStart) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().formatHex(extensionValue, first.valueStart, first.valueEnd));
    }

    /// The key identifier of a SubjectKeyIdentifier extension value, as lowercase hex.
    static Optional<String> subjectKeyId(byte @org.jspecify.annotations.Nullable [] extensionValue) {
        if (extensionValue == null) {
            return Optional.empty();
        }
        Tlv outer = Tlv.read(extensionValue, 0, extensionValue.length);
        if (outer == null || outer.tag != OCTET_STRING) {
            return Optional.empty();
        }
        Tlv inner = Tlv.read(extensionValue, outer.valueStart, outer.valueEnd);
        if (inner == null || inner.tag != OCTET_STRING || inner.valueEnd == inner.valueStart) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().formatHex(extensionValue, inner.valueStart, inner.valueEnd));
    }

    /// One DER tag-length-value within `[from, to)`; null when it does not fit or is not DER.
    private record Tlv(int tag, int valueStart, int valueEnd) {

        static @org.jspecify.annotations.Nullable Tlv read(byte[] b, int from, int to) {
            if (from < 0 || to > b.length || to - from < 2) {
                return null;
            }
            int tag = b[from] & 0xff;
            int first = b[from + 1] & 0xff;
            int pos = from + 2;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int octets = first & 0x7f;
                if (octets == 0 || octets > 3 || pos + octets > to) {
                    return null;
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (b[pos++] & 0xff);
                }
            }
            if (length > to - pos) {
                return null;
            }
            return new Tlv(tag, pos, pos + (int) length);
        }
    }
}
