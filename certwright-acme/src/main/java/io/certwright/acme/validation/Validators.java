package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Identifier;
import io.certwright.core.tls.AcceptAnyServerChain;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The challenge validator of the ACME server: http-01, dns-01 and tls-alpn-01 (see [Http01Validator],
/// [Dns01Validator] and [TlsAlpn01Validator] for what each checks and which problem each failure is).
///
/// Each attempt runs on its own virtual thread. At most [ValidationSettings#maxConcurrent] attempts run at
/// once; the others wait for a turn, and an attempt's [ValidationSettings#timeout] starts when it has its
/// turn, so slow or hostile servers in some challenges cannot time out the challenges queued behind them.
/// An attempt still running when its time is up is answered with `connection` ("timed out after …",
/// naming what it was waiting for) and its thread is interrupted, which closes its sockets.
///
/// Every DNS question goes to the configured DNS server (never to `InetAddress.getByName`), every detail
/// names the address contacted, and the returned future always completes, with [ValidationOutcome.Invalid]
/// for every failure: nothing is thrown. Identifiers and tokens are checked again here, although the
/// protocol engine checked them already, so that nothing odd reaches a URL, a request line or a DNS name.
public final class Validators implements ChallengeValidator {

    /// The http-01 challenge type.
    public static final String HTTP_01 = "http-01";
    /// The dns-01 challenge type.
    public static final String DNS_01 = "dns-01";
    /// The tls-alpn-01 challenge type.
    public static final String TLS_ALPN_01 = "tls-alpn-01";

    private static final Logger LOG = LoggerFactory.getLogger(Validators.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[a-z0-9_-]{1,63}(\\.[a-z0-9_-]{1,63})*");
    private static final Pattern KEY_AUTHORIZATION = Pattern.compile("[A-Za-z0-9_.-]{1,1024}");

    private final ValidationSettings settings;
    private final Semaphore turns;
    private final DnsLookups dns;
    private final Http01Validator http01;
    private final Dns01Validator dns01;
    private final TlsAlpn01Validator tlsAlpn01;

    /// Validators that work as `settings` say.
    public Validators(ValidationSettings settings) {
        this.settings = settings;
        this.turns = new Semaphore(settings.maxConcurrent(), true);
        this.dns = new DnsLookups(settings);
        SSLSocketFactory tls = acceptingAnyCertificate();
        this.http01 = new Http01Validator(settings, dns, tls);
        this.dns01 = new Dns01Validator(dns);
        this.tlsAlpn01 = new TlsAlpn01Validator(settings, dns, tls);
    }

    /// How these validators work.
    public ValidationSettings settings() {
        return settings;
    }

    /// [ValidationSettings#timeout]: the limit of one attempt, which starts when the attempt has its turn.
    @Override
    public Duration timeLimit() {
        return settings.timeout();
    }

    @Override
    public CompletableFuture<ValidationOutcome> validate(Identifier identifier, String challengeType, String token,
            String keyAuthorization) {
        CompletableFuture<ValidationOutcome> result = new CompletableFuture<>();
        try {
            Thread.ofVirtual().name("acme-validation")
                    .start(() -> run(identifier, challengeType, token, keyAuthorization, result));
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("could not start a challenge validation", e);
            result.complete(new ValidationOutcome.Invalid(AcmeProblemType.SERVER_INTERNAL,
                    "the server could not start the validation; try again later"));
        }
        return result;
    }

    private void run(Identifier identifier, String challengeType, String token, String keyAuthorization,
            CompletableFuture<ValidationOutcome> result) {
        Attempt attempt = new Attempt();
        try {
            turns.acquire();
        } catch (InterruptedException e) {
            result.complete(new ValidationOutcome.Invalid(AcmeProblemType.SERVER_INTERNAL,
                    "the validation was stopped before it began"));
            return;
        }
        try {
            Thread worker = Thread.currentThread();
            Duration limit = settings.timeout();
            CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (result.complete(new ValidationOutcome.Invalid(AcmeProblemType.CONNECTION,
                        "timed out after " + describe(limit) + " while " + attempt.doing()))) {
                    worker.interrupt();
                }
            });
            result.complete(check(identifier, challengeType, token, keyAuthorization, attempt));
        } catch (RuntimeException | Error e) {
            LOG.warn("a {} validation failed unexpectedly", challengeType, e);
            result.complete(new ValidationOutcome.Invalid(AcmeProblemType.SERVER_INTERNAL,
                    "the validation failed unexpectedly"));
        } finally {
            turns.release();
        }
    }

    /// One attempt, on the calling thread and without a time limit of its own.
    ValidationOutcome check(Identifier identifier, String challengeType, String token, String keyAuthorization,
            Attempt attempt) {
        try {
            checkInput(identifier, token, keyAuthorization);
            switch (challengeType) {
                case HTTP_01 -> http01.validate(identifier, token, keyAuthorization, attempt);
                case DNS_01 -> dns01.validate(identifier, keyAuthorization, attempt);
                case TLS_ALPN_01 -> tlsAlpn01.validate(identifier, keyAuthorization, attempt);
                default -> throw new ValidationFailure(AcmeProblemType.MALFORMED,
                        "unknown challenge type " + Printable.quote(challengeType));
            }
            return new ValidationOutcome.Valid();
        } catch (ValidationFailure f) {
            return f.outcome();
        } catch (InterruptedException e) {
            // Only the time limit interrupts an attempt, and it has answered already.
            Thread.currentThread().interrupt();
            return new ValidationOutcome.Invalid(AcmeProblemType.CONNECTION, "timed out while " + attempt.doing());
        }
    }

    private static void checkInput(Identifier identifier, String token, String keyAuthorization)
            throws ValidationFailure {
        if (!TOKEN.matcher(token).matches()) {
            throw new ValidationFailure(AcmeProblemType.MALFORMED, "the token is not base64url");
        }
        if (!KEY_AUTHORIZATION.matcher(keyAuthorization).matches()
                || !keyAuthorization.startsWith(token + ".")) {
            throw new ValidationFailure(AcmeProblemType.MALFORMED, "the key authorization is not token.thumbprint");
        }
        switch (identifier.type()) {
            case DNS -> {
                if (identifier.value().length() > 255 || !DNS_NAME.matcher(identifier.value()).matches()) {
                    throw new ValidationFailure(AcmeProblemType.MALFORMED,
                            Printable.quote(identifier.value()) + " is not a DNS name");
                }
            }
            case IP -> Addresses.literal(identifier.value());
        }
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static SSLSocketFactory acceptingAnyCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {AcceptAnyServerChain.INSTANCE}, new SecureRandom());
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS", e);
        }
    }
}
