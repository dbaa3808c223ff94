package io.certwright.ca.revocation;

import io.certwright.ca.internal.x509.OcspCodec;
import io.certwright.ca.registry.RegistryException;
import io.certwright.core.SerialNumber;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/// An OCSP responder ([RFC 6960](https://www.rfc-editor.org/rfc/rfc6960)) in the
/// [RFC 5019](https://www.rfc-editor.org/rfc/rfc5019) profile: request bytes in, response bytes out. It never
/// throws; every problem becomes an `OCSPResponseStatus`:
///
/// | request | answer |
/// |---|---|
/// | about a certificate of a configured CA | `successful`: `good`, `revoked` (time and reason) or `unknown` |
/// | empty, over [#MAX_REQUEST_BYTES], not DER, trailing bytes, not version 1 | `malformedRequest` |
/// | more than one certificate (RFC 5019 §2.1.1 allows one per request) | `malformedRequest` |
/// | CertID hashed with anything but SHA-1, SHA-256, SHA-384, SHA-512 | `malformedRequest` |
/// | a nonce over 32 octets, or an unknown critical extension | `malformedRequest` |
/// | issuerNameHash and issuerKeyHash of no configured CA | `unauthorized` |
/// | the status lookup failing | `tryLater` |
/// | the signer failing, expired, or not issued by the CA | `internalError` |
///
/// Responses identify the responder by key hash, carry the delegated signer's certificate, and are valid
/// from the time they are made (`producedAt` = `thisUpdate`) for the configured period (`nextUpdate`, never
/// past the signer's expiry). A request's nonce extension is echoed. A signed request is answered; its
/// signature is ignored, as RFC 5019 permits.
///
/// **Caching.** A `good` or `revoked` answer to a request without a nonce is kept, keyed by the exact
/// request bytes, and served again without parsing or signing until less than a quarter of its validity
/// remains; then the next request makes a fresh one. Requests with a nonce are always signed afresh.
/// `unknown` answers are not kept, so random serials cannot fill the cache. [#invalidate(SerialNumber)]
/// drops the answers about a certificate (call it after revoking one); a new signer from the signer
/// supplier (rotation) makes every earlier answer stale at once. The cache holds at most the configured
/// number of answers and is emptied when full.
///
/// Thread-safe.
public final class OcspResponder {

    /// Largest request accepted. Single-certificate requests are under 200 bytes, but a request may carry
    /// a signature and certificates; callers should refuse larger bodies before reading them.
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /// Default bound on cached answers.
    public static final int DEFAULT_MAX_CACHED = 100_000;
    /// Shortest accepted validity period.
    public static final Duration MIN_VALIDITY = Duration.ofMinutes(1);

    private static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

    private static final OcspResponse MALFORMED = error(OcspResponse.Status.MALFORMED_REQUEST);
    private static final OcspResponse UNAUTHORIZED = error(OcspResponse.Status.UNAUTHORIZED);
    private static final OcspResponse TRY_LATER = error(OcspResponse.Status.TRY_LATER);
    private static final OcspResponse INTERNAL_ERROR = error(OcspResponse.Status.INTERNAL_ERROR);

    /// One CA the responder answers for, and what signs its answers.
    ///
    /// @param ca the CA certificate whose certificates are asked about
    /// @param signer the current signer: a delegated certificate issued by `ca` (see [OcspSignerRotation])
    ///     or `ca` itself with its key; read on every request, so it must be cheap
    public record Authority(X509Certificate ca, Supplier<OcspSigner> signer) {
        public Authority {
            Objects.requireNonNull(ca, "ca");
            Objects.requireNonNull(signer, "signer");
        }
    }

    private final List<Answered> authorities;
    private final RevocationLookup lookup;
    private final Clock clock;
    private final Duration validity;
    private final int maxCached;
    private final ConcurrentHashMap<RequestKey, Cached> cache = new ConcurrentHashMap<>();
    /// Bumped by every invalidation, so an answer built while one ran is not kept.
    private final AtomicLong invalidations = new AtomicLong();

    /// A responder for the given CAs, keeping at most [#DEFAULT_MAX_CACHED] answers.
    ///
    /// @param validity how long each answer is valid (nextUpdate - thisUpdate), at least [#MIN_VALIDITY]
    public OcspResponder(List<Authority> authorities, RevocationLookup lookup, Clock clock, Duration validity) {
        this(authorities, lookup, clock, validity, DEFAULT_MAX_CACHED);
    }

    /// A responder for the given CAs keeping at most `maxCached` answers (0 disables caching).
    ///
    /// @throws IllegalArgumentException when no CA is given, a CA is given twice, or the validity or cache
    ///     bound is out of range
    public OcspResponder(List<Authority> authorities, RevocationLookup lookup, Clock clock, Duration validity,
            int maxCached) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validity = Objects.requireNonNull(validity, "validity");
        if (authorities.isEmpty()) {
            throw new IllegalArgumentException("an OCSP responder needs at least one CA to answer for");
        }
        if (validity.compareTo(MIN_VALIDITY) < 0) {
            throw new IllegalArgumentException("OCSP validity must be at least " + MIN_VALIDITY.toSeconds() + " s");
        }
        if (maxCached < 0) {
            throw new IllegalArgumentException("the cache bound must not be negative");
        }
        this.maxCached = maxCached;
        this.authorities = authorities.stream().map(Answered::new).toList();
        Set<String> seen = new HashSet<>();
        for (Answered a : this.authorities) {
            if (!seen.add(java.util.HexFormat.of().formatHex(a.hashes.getOrDefault("SHA-256", new byte[0])))) {
                throw new IllegalArgumentException("CA " + a.ca.getSubjectX500Principal().getName() + " is given twice");
            }
        }
    }

    /// A responder for one CA.
    public static OcspResponder forCa(X509Certificate ca, Supplier<OcspSigner> signer, RevocationLookup lookup,
            Clock clock, Duration validity) {
        return new OcspResponder(List.of(new Authority(ca, signer)), lookup, clock, validity);
    }

    /// Answers a DER `OCSPRequest` (a POST body, or a GET path after base64 decoding). Never throws.
    public OcspResponse respond(byte[] request) {
        try {
            return answer(request);
        } catch (RuntimeException e) {
            return INTERNAL_ERROR;
        }
    }

    /// Drops every kept answer about certificates with `serial`; the next request is answered from the
    /// lookup. Call after revoking it.
    public void invalidate(SerialNumber serial) {
        invalidate(List.of(serial));
    }

    /// Drops every kept answer about any of `serials`, in one pass.
    public void invalidate(Collection<SerialNumber> serials) {
        Set<BigInteger> values = new HashSet<>();
        serials.forEach(s -> values.add(s.value()));
        invalidations.incrementAndGet();
        cache.values().removeIf(c -> values.contains(c.serial));
    }

    /// Drops every kept answer.
    public void invalidateAll() {
        invalidations.incrementAndGet();
        cache.clear();
    }

    /// How many answers are kept now.
    public int cachedResponses() {
        return cache.size();
    }

    private OcspResponse answer(byte[] request) {
        if (request.length == 0 || request.length > MAX_REQUEST_BYTES) {
            return MALFORMED;
        }
        Instant now = clock.instant();
        Cached hit = cache.get(new RequestKey(request));
        if (hit != null && hit.servableAt(now)) {
            return hit.response;
        }
        OcspCodec.CertRequest r;
        try {
            r = OcspCodec.parseRequest(request);
        } catch (OcspCodec.MalformedRequestException e) {
            return MALFORMED;
        }
        if (r.digest().isEmpty()) {
            return MALFORMED;
        }
        String digest = r.digest().get();
        Answered authority = null;
        for (Answered a : authorities) {
            if (a.matches(digest, r.issuerNameHash(), r.issuerKeyHash())) {
                authority = a;
                break;
            }
        }
        if (authority == null) {
            return UNAUTHORIZED;
        }
        SignerState signer = authority.signer();
        Instant at = now.truncatedTo(ChronoUnit.SECONDS);
        if (signer.problem != null || !signer.notAfter.isAfter(at)) {
            return INTERNAL_ERROR;
        }
        Instant next = at.plus(validity);
        if (next.isAfter(signer.notAfter)) {
            next = signer.notAfter;
        }
        long generation = invalidations.get();
        RevocationStatus status;
        BigInteger serial = r.serial();
        if (serial.signum() <= 0 || serial.toByteArray().length > 20) {
            status = RevocationStatus.unknown();
        } else {
            try {
                status = Objects.requireNonNull(lookup.status(authority.ca, new SerialNumber(serial)),
                        "the revocation lookup returned null");
            } catch (RegistryException e) {
                return TRY_LATER;
            }
        }
        byte[] tbs = OcspCodec.responseData(signer.keyHash, at, r.certIdDer(), codecStatus(status), at, next,
                r.nonceExtension());
        byte[] signature;
        try {
            signature = signer.signer.key().sign(tbs);
        } catch (GeneralSecurityException e) {
            return INTERNAL_ERROR;
        }
        byte[] der = OcspCodec.response(tbs, signer.algorithm, signature, signer.certificates);
        boolean nonce = r.nonceExtension() != null;
        OcspResponse response = OcspResponse.successful(der, status, at, next, nonce);
        if (!nonce && !(status instanceof RevocationStatus.Unknown) && maxCached > 0) {
            keep(request, serial, response, authority, signer, at, next, generation);
        }
        return response;
    }

    private void keep(byte[] request, BigInteger serial, OcspResponse response, Answered authority,
            SignerState signer, Instant thisUpdate, Instant nextUpdate, long generation) {
        if (cache.size() >= maxCached) {
            cache.clear();
        }
        Duration life = Duration.between(thisUpdate, nextUpdate);
        Cached entry = new Cached(response, serial, authority, signer, thisUpdate,
                thisUpdate.plus(life.minus(life.dividedBy(4))));
        RequestKey key = new RequestKey(request.clone());
        cache.put(key, entry);
        // An invalidation that started after `generation` was read may have scanned before this put; it
        // bumped the counter first, so seeing it unchanged here means any later one will find this entry.
        if (invalidations.get() != generation) {
            cache.remove(key, entry);
        }
    }

    private static OcspCodec.Status codecStatus(RevocationStatus status) {
        return switch (status) {
            case RevocationStatus.Good g -> OcspCodec.Status.GOOD;
            case RevocationStatus.Revoked r -> OcspCodec.Status.revoked(r.revokedAt(), r.reason().code());
            case RevocationStatus.Unknown u -> OcspCodec.Status.UNKNOWN;
        };
    }

    private static OcspResponse error(OcspResponse.Status status) {
        return OcspResponse.error(status, OcspCodec.statusOnly(status.code()));
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    /// A configured CA: its CertID hashes under every supported digest, and its current signer.
    private static final class Answered {
        final X509Certificate ca;
        final Supplier<OcspSigner> source;
        /// digest name to issuerNameHash followed by issuerKeyHash
        final Map<String, byte[]> hashes = new HashMap<>();
        final Map<String, Integer> nameHashLengths = new HashMap<>();
        volatile @Nullable SignerState state;

        Answered(Authority a) {
            this.ca = a.ca();
            this.source = a.signer();
            byte[] name = ca.getSubjectX500Principal().getEncoded();
            byte[] key = OcspCodec.publicKeyBits(ca.getPublicKey());
            for (String d : OcspCodec.supportedDigests()) {
                byte[] nameHash = digest(d, name);
                byte[] keyHash = digest(d, key);
                byte[] both = Arrays.copyOf(nameHash, nameHash.length + keyHash.length);
                System.arraycopy(keyHash, 0, both, nameHash.length, keyHash.length);
                hashes.put(d, both);
                nameHashLengths.put(d, nameHash.length);
            }
        }

        boolean matches(String digest, byte[] nameHash, byte[] keyHash) {
            byte[] both = hashes.get(digest);
            Integer n = nameHashLengths.get(digest);
            if (both == null || n == null || nameHash.length != n || keyHash.length != both.length - n) {
                return false;
            }
            return Arrays.equals(both, 0, n, nameHash, 0, n)
                    && Arrays.equals(both, n, both.length, keyHash, 0, keyHash.length);
        }

        /// The state for the supplier's current signer, recomputed when the supplier hands out a new one.
        /// Identity, not equality: a new signer object is a rotation, and the check runs on every request.
        @SuppressWarnings("ReferenceEquality")
        SignerState signer() {
            OcspSigner current = source.get();
            SignerState s = state;
            if (s != null && s.signer == current) {
                return s;
            }
            s = SignerState.of(ca, current);
            state = s;
            return s;
        }
    }

    /// What every response of one signer shares, computed once per signer.
    private static final class SignerState {
        final OcspSigner signer;
        final byte[] keyHash;
        final byte[] certificates;
        final String algorithm;
        final Instant notAfter;
        final @Nullable String problem;

        private SignerState(OcspSigner signer, byte[] certificates, @Nullable String problem) {
            this.signer = signer;
            this.keyHash = digest("SHA-1", OcspCodec.publicKeyBits(signer.certificate().getPublicKey()));
            this.certificates = certificates;
            this.algorithm = signer.key().algorithm().signatureAlgorithm();
            this.notAfter = signer.certificate().getNotAfter().toInstant();
            this.problem = problem;
        }

        static SignerState of(X509Certificate ca, OcspSigner signer) {
            X509Certificate cert = signer.certificate();
            try {
                if (Arrays.equals(cert.getEncoded(), ca.getEncoded())) {
                    return new SignerState(signer, new byte[0], null);
                }
                byte[] certs = OcspCodec.certificates(List.of(cert));
                if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                    return new SignerState(signer, certs, "the OCSP signer was not issued by the CA");
                }
                try {
                    cert.verify(ca.getPublicKey());
                } catch (GeneralSecurityException e) {
                    return new SignerState(signer, certs, "the OCSP signer's signature does not verify with the CA key");
                }
                List<String> eku = cert.getExtendedKeyUsage();
                if (eku == null || !eku.contains(OCSP_SIGNING)) {
                    return new SignerState(signer, certs, "the OCSP signer lacks id-kp-OCSPSigning");
                }
                return new SignerState(signer, certs, null);
            } catch (CertificateEncodingException | CertificateParsingException e) {
                return new SignerState(signer, new byte[0], "the OCSP signer certificate cannot be encoded");
            }
        }
    }

    /// A kept answer.
    private record Cached(OcspResponse response, BigInteger serial, Answered authority, SignerState signer,
            Instant thisUpdate, Instant refreshAt) {

        @SuppressWarnings("ReferenceEquality") // the very state it was signed with, see Answered#signer
        boolean servableAt(Instant now) {
            return now.isBefore(refreshAt) && !now.isBefore(thisUpdate) && authority.signer() == signer;
        }
    }

    /// Request bytes as a map key. Comparable, so that colliding hashes degrade a bin to a tree rather
    /// than a list.
    private static final class RequestKey implements Comparable<RequestKey> {
        private final byte[] bytes;
        private final int hash;

        RequestKey(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RequestKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(RequestKey o) {
            return Arrays.compare(bytes, o.bytes);
        }
    }
}
