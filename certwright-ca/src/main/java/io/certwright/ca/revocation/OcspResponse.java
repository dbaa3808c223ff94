package io.certwright.ca.revocation;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// An encoded `OCSPResponse` and what an HTTP layer needs to serve it: the status, and for successful
/// responses the times for `Last-Modified`, `Expires` and `Cache-Control: max-age`
/// ([RFC 5019 §6](https://www.rfc-editor.org/rfc/rfc5019#section-6)). Immutable; cached responses are shared.
public final class OcspResponse {

    /// Media type of OCSP responses.
    public static final String MEDIA_TYPE = "application/ocsp-response";

    /// `OCSPResponseStatus` values ([RFC 6960 §4.2.1](https://www.rfc-editor.org/rfc/rfc6960#section-4.2.1)).
    public enum Status {
        SUCCESSFUL(0), MALFORMED_REQUEST(1), INTERNAL_ERROR(2), TRY_LATER(3), SIG_REQUIRED(5), UNAUTHORIZED(6);

        private final int code;

        Status(int code) {
            this.code = code;
        }

        /// The ENUMERATED value on the wire.
        public int code() {
            return code;
        }
    }

    private final Status status;
    private final ByteBuffer der;
    private final Optional<RevocationStatus> certificateStatus;
    private final Optional<Instant> thisUpdate;
    private final Optional<Instant> nextUpdate;
    private final boolean nonce;

    private OcspResponse(Status status, byte[] der, Optional<RevocationStatus> certificateStatus,
            Optional<Instant> thisUpdate, Optional<Instant> nextUpdate, boolean nonce) {
        this.status = status;
        this.der = ByteBuffer.wrap(der).asReadOnlyBuffer();
        this.certificateStatus = certificateStatus;
        this.thisUpdate = thisUpdate;
        this.nextUpdate = nextUpdate;
        this.nonce = nonce;
    }

    static OcspResponse error(Status status, byte[] der) {
        if (status == Status.SUCCESSFUL) {
            throw new IllegalArgumentException("an error response cannot be successful");
        }
        return new OcspResponse(status, der, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    static OcspResponse successful(byte[] der, RevocationStatus certificateStatus, Instant thisUpdate,
            Instant nextUpdate, boolean nonce) {
        Objects.requireNonNull(certificateStatus, "certificateStatus");
        return new OcspResponse(Status.SUCCESSFUL, der, Optional.of(certificateStatus), Optional.of(thisUpdate),
                Optional.of(nextUpdate), nonce);
    }

    public Status status() {
        return status;
    }

    /// A read-only view of the DER, positioned at its start; for writing to a response without a copy.
    public ByteBuffer encoded() {
        return der.duplicate();
    }

    /// A copy of the DER.
    public byte[] der() {
        ByteBuffer b = encoded();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /// The status of the certificate asked about, for successful responses.
    public Optional<RevocationStatus> certificateStatus() {
        return certificateStatus;
    }

    /// When the reported status was known correct (also the response's producedAt), for successful responses.
    public Optional<Instant> thisUpdate() {
        return thisUpdate;
    }

    /// Until when the response may be relied on, for successful responses.
    public Optional<Instant> nextUpdate() {
        return nextUpdate;
    }

    /// Whether shared caches may store the response: successful and not answering a nonce. Answers to
    /// nonce requests are for one client only.
    public boolean cacheable() {
        return status == Status.SUCCESSFUL && !nonce;
    }

    @Override
    public String toString() {
        return "OcspResponse[" + status + certificateStatus.map(s -> ", " + s).orElse("")
                + nextUpdate.map(n -> ", nextUpdate " + n).orElse("") + "]";
    }
}
