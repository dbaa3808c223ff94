package io.certwright.acme;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/// Server-wide ACME settings.
///
/// @param baseUrl the public URL clients reach the server at, such as `https://ca.example.com:8443`; every
///     URL the server hands out and every JWS `url` it accepts starts with it
/// @param nonceLifetime how long a `Replay-Nonce` stays usable
/// @param pendingAuthorizationLifetime how long a new authorization waits for its challenge
/// @param validAuthorizationLifetime how long a valid authorization is reused by new orders
/// @param orderLifetime how long an order may take from creation to finalization
/// @param rateLimits the rate limits
/// @param renewalInfoRetryAfter the `Retry-After` of renewal information (RFC 9773 section 4.3)
/// @param maxIdentifiers the most identifiers one order may have
/// @param maxBodyBytes the largest request body accepted
/// @param ordersPageSize how many order URLs one page of an account's orders list has
/// @param challengeAnswerWait how long the answer to a client's challenge response waits for the validation it
///     starts: a validation that ends in time is answered as `valid` or `invalid`, so the client need not
///     poll; one that does not is answered `processing`, as with zero
public record AcmeSettings(URI baseUrl, Duration nonceLifetime, Duration pendingAuthorizationLifetime,
        Duration validAuthorizationLifetime, Duration orderLifetime, RateLimits rateLimits,
        Duration renewalInfoRetryAfter, int maxIdentifiers, int maxBodyBytes, int ordersPageSize,
        Duration challengeAnswerWait) {

    /// Rate limits, each counted in fixed windows of `window` (one hour by default).
    ///
    /// @param newOrdersPerAccount new orders one account may place per window
    /// @param newOrdersPerAddress new orders one source address may place per window
    /// @param newAccountsPerAddress new accounts one source address may create per window
    /// @param failedValidationsPerAccountIdentifier failed validations one account may have per identifier
    ///     per window before its challenges for that identifier are refused
    /// @param window the window length
    public record RateLimits(int newOrdersPerAccount, int newOrdersPerAddress, int newAccountsPerAddress,
            int failedValidationsPerAccountIdentifier, Duration window) {

        /// Checks the limits.
        public RateLimits {
            if (newOrdersPerAccount < 1 || newOrdersPerAddress < 1 || newAccountsPerAddress < 1
                    || failedValidationsPerAccountIdentifier < 1) {
                throw new IllegalArgumentException("rate limits must be at least 1");
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("the rate-limit window must be positive");
            }
        }

        /// 300 orders per account and 1000 per address, 50 accounts per address and 5 failed validations
        /// per account and identifier, per hour.
        public static RateLimits defaults() {
            return new RateLimits(300, 1000, 50, 5, Duration.ofHours(1));
        }
    }

    /// Checks the settings and drops a trailing `/` from the base URL.
    public AcmeSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String text = baseUrl.toString();
        if (!baseUrl.isAbsolute() || baseUrl.getHost() == null || baseUrl.getRawQuery() != null
                || baseUrl.getRawFragment() != null
                || !("https".equals(baseUrl.getScheme()) || "http".equals(baseUrl.getScheme()))) {
            throw new IllegalArgumentException("the ACME base URL must be an absolute http(s) URL without query, "
                    + "such as https://ca.example.com:8443; not '" + text + "'");
        }
        if (text.endsWith("/")) {
            baseUrl = URI.create(text.substring(0, text.length() - 1));
        }
        for (Duration d : new Duration[] {nonceLifetime, pendingAuthorizationLifetime, validAuthorizationLifetime,
                orderLifetime, renewalInfoRetryAfter}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("ACME lifetimes must be positive");
            }
        }
        Objects.requireNonNull(rateLimits, "rateLimits");
        if (challengeAnswerWait.isNegative()) {
            throw new IllegalArgumentException("the challenge answer wait must not be negative");
        }
        if (maxIdentifiers < 1 || maxBodyBytes < 1024 || ordersPageSize < 1) {
            throw new IllegalArgumentException("maxIdentifiers and ordersPageSize must be positive, maxBodyBytes "
                    + "at least 1024");
        }
    }

    /// Defaults: nonces live 1 hour, pending authorizations 1 hour, valid authorizations are reused for 24
    /// hours, orders live 24 hours; default rate limits; renewal information is refreshed every 6 hours; at
    /// most 100 identifiers per order, request bodies of at most 64 KiB, 100 orders per page.
    public static AcmeSettings defaults(URI baseUrl) {
        return new AcmeSettings(baseUrl, Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(24),
                Duration.ofHours(24), RateLimits.defaults(), Duration.ofHours(6), 100, 64 * 1024, 100, Duration.ZERO);
    }

    /// These settings with other rate limits.
    public AcmeSettings withRateLimits(RateLimits next) {
        return new AcmeSettings(baseUrl, nonceLifetime, pendingAuthorizationLifetime, validAuthorizationLifetime,
                orderLifetime, next, renewalInfoRetryAfter, maxIdentifiers, maxBodyBytes, ordersPageSize,
                challengeAnswerWait);
    }

    /// These settings with another page size for orders lists.
    public AcmeSettings withOrdersPageSize(int next) {
        return new AcmeSettings(baseUrl, nonceLifetime, pendingAuthorizationLifetime, validAuthorizationLifetime,
                orderLifetime, rateLimits, renewalInfoRetryAfter, maxIdentifiers, maxBodyBytes, next,
                challengeAnswerWait);
    }

    /// These settings with another wait for validations before a challenge response is answered.
    public AcmeSettings withChallengeAnswerWait(Duration next) {
        return new AcmeSettings(baseUrl, nonceLifetime, pendingAuthorizationLifetime, validAuthorizationLifetime,
                orderLifetime, rateLimits, renewalInfoRetryAfter, maxIdentifiers, maxBodyBytes, ordersPageSize, next);
    }
}
