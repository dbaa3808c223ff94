package io.certwright.ca.internal.x509;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Time;

/// Certificate times ([RFC 5280 §4.1.2.5](https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5)) encoded and
/// decoded with `java.time`: UTCTime `YYMMDDHHMMSSZ` for years 1950 to 2049, GeneralizedTime
/// `YYYYMMDDHHMMSSZ` otherwise, whole seconds, always UTC. Bouncy Castle's own date conversion goes through
/// `SimpleDateFormat`, which costs as much as an ECDSA signature per call.
final class X509Time {

    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

    private X509Time() {
    }

    static Time encode(Instant instant) {
        try {
            return Time.getInstance(ASN1Primitive.fromByteArray(der(instant)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode time " + instant, e);
        }
    }

    /// The DER of [#encode(Instant)], written digit by digit: CRLs encode one time per entry.
    static byte[] der(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        boolean utcTime = year >= 1950 && year <= 2049;
        if (!utcTime && (year < 0 || year > 9999)) {
            throw new IllegalArgumentException("time " + instant + " cannot be encoded in a certificate");
        }
        byte[] der = new byte[utcTime ? 15 : 17];
        der[0] = (byte) (utcTime ? UTC_TIME : GENERALIZED_TIME);
        der[1] = (byte) (der.length - 2);
        int i = 2;
        if (utcTime) {
            i = digits(der, i, year % 100);
        } else {
            i = digits(der, i, year / 100);
            i = digits(der, i, year % 100);
        }
        i = digits(der, i, t.getMonthValue());
        i = digits(der, i, t.getDayOfMonth());
        i = digits(der, i, t.getHour());
        i = digits(der, i, t.getMinute());
        i = digits(der, i, t.getSecond());
        der[i] = 'Z';
        return der;
    }

    private static int digits(byte[] out, int at, int twoDigits) {
        out[at] = (byte) ('0' + twoDigits / 10);
        out[at + 1] = (byte) ('0' + twoDigits % 10);
        return at + 2;
    }

    /// A GeneralizedTime `YYYYMMDDHHMMSSZ` in whole seconds, as OCSP ([RFC 6960 §4.2.2.1](https://www.rfc-editor.org/rfc/rfc6960#section-4.2.2.1))
    /// and RFC 5019 require for every time in a response.
    static ASN1GeneralizedTime generalized(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        byte[] ascii = (UTC.format(t) + "Z").getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[ascii.length + 2];
        der[0] = (byte) GENERALIZED_TIME;
        der[1] = (byte) ascii.length;
        System.arraycopy(ascii, 0, der, 2, ascii.length);
        try {
            return ASN1GeneralizedTime.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode time " + instant, e);
        }
    }

    /// Decodes a UTCTime or GeneralizedTime in the strict RFC 5280 form; anything else is an error.
    static Instant decode(Time time) {
        byte[] der;
        try {
            der = time.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalArgumentException("unencodable time", e);
        }
        String text = new String(der, 2, der.length - 2, StandardCharsets.US_ASCII);
        if (!text.endsWith("Z")) {
            throw new IllegalArgumentException("time '" + text + "' is not in UTC");
        }
        String digits = text.substring(0, text.length() - 1);
        if (der[0] == UTC_TIME) {
            if (digits.length() != 12) {
                throw new IllegalArgumentException("UTCTime '" + text + "' is not YYMMDDHHMMSSZ");
            }
            int yy = Integer.parseInt(digits.substring(0, 2));
            digits = (yy >= 50 ? "19" : "20") + digits;
        } else if (digits.length() != 14) {
            throw new IllegalArgumentException("GeneralizedTime '" + text + "' is not YYYYMMDDHHMMSSZ");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid time '" + text + "'");
            }
        }
        try {
            // Field by field rather than through a DateTimeFormatter: the lint decodes two times per
            // certificate, and formatter parsing cost more than the rest of the validity checks.
            return LocalDateTime.of(number(digits, 0, 4), number(digits, 4, 2), number(digits, 6, 2),
                    number(digits, 8, 2), number(digits, 10, 2), number(digits, 12, 2)).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("invalid time '" + text + "'", e);
        }
    }

    private static int number(String digits, int from, int length) {
        int n = 0;
        for (int i = from; i < from + length; i++) {
            n = n * 10 + (digits.charAt(i) - '0');
        }
        return n;
    }
}
