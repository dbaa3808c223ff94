package io.certwright.acme.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/// Keeps the ACME server's state, shared by every replica.
///
/// Updates are compare-and-set on the record's version: `update*(next)` writes `next` only when the
/// stored record's version is `next.version() - 1`, and says whether it did. A caller that loses re-reads
/// and decides again. Instants are kept to the millisecond.
///
/// The writes a request makes take its [Effects] (the nonce it spends, the audit events of the change) and
/// write them in the same transaction as the change, all or nothing: a stale compare-and-set or a conflict
/// writes none of them, and a nonce used before ([AcmeStoreException.Kind#NONCE_USED]) stops the change. The
/// forms without effects write the change alone.
public interface AcmeStore {

    // --- nonces ---------------------------------------------------------------------------------------

    /// The secret every replica signs its nonces with, created on first use: returns the stored secret,
    /// or stores `create.get()` and returns it when there is none yet (two replicas racing get one secret).
    byte[] nonceSecret(Supplier<byte[]> create) throws AcmeStoreException;

    /// Marks a nonce used. True the first time for a nonce, false ever after (on any replica), until
    /// [#purgeUsedNonces] forgets it after `expires`. The caller rejects expired nonces before asking, since
    /// a purged nonce would be accepted again.
    boolean useNonce(String nonce, Instant expires) throws AcmeStoreException;

    /// Writes `effects` alone, for a request that changes nothing else or has changed it already:
    /// [AcmeStoreException.Kind#NONCE_USED], with nothing written, when its nonce was used before.
    void record(Effects effects) throws AcmeStoreException;

    /// Forgets used nonces that expired before `now`; returns how many.
    int purgeUsedNonces(Instant now) throws AcmeStoreException;

    // --- accounts -------------------------------------------------------------------------------------

    /// Stores a new account; [AcmeStoreException.Kind#CONFLICT] when its id exists or its key is already an
    /// account's key under the same provisioner.
    ///
    /// An account with an external account binding ([Account#eabKeyId]) binds that key to itself in the same
    /// transaction: the key must be one of the account's provisioner and bound to no account yet, else that is a
    /// [AcmeStoreException.Kind#CONFLICT] too. Either the account is stored and its key bound, or nothing is
    /// written: a key binds exactly one account, however many creations race for it, and a creation that fails
    /// leaves the key usable.
    void createAccount(Account account, Effects effects) throws AcmeStoreException;

    /// [#createAccount(Account, Effects)] without effects.
    default void createAccount(Account account) throws AcmeStoreException {
        createAccount(account, Effects.NONE);
    }

    /// The account with `id`.
    Optional<Account> account(String id) throws AcmeStoreException;

    /// The account of `provisioner` whose key has `thumbprint`.
    Optional<Account> accountByThumbprint(String provisioner, String thumbprint) throws AcmeStoreException;

    /// Replaces an account (compare-and-set on the version); [AcmeStoreException.Kind#CONFLICT] when a key
    /// rollover names a key that another account already has.
    boolean updateAccount(Account next, Effects effects) throws AcmeStoreException;

    /// [#updateAccount(Account, Effects)] without effects.
    default boolean updateAccount(Account next) throws AcmeStoreException {
        return updateAccount(next, Effects.NONE);
    }

    // --- orders and authorizations --------------------------------------------------------------------

    /// Stores a new order with its new authorizations, in one transaction; [AcmeStoreException.Kind#CONFLICT],
    /// with nothing written, when the order or one of the authorizations exists, or when the order `replaces` a
    /// certificate that an order not stored as invalid replaces already: at most one order that is not invalid
    /// names a certificate (RFC 9773 section 5), however many creations race. The rule goes by the stored
    /// states, so a caller that meets the conflict brings the holder's state up to date (an expired order is
    /// invalid) before it gives up.
    void createOrder(Order order, List<Authorization> authorizations, Effects effects) throws AcmeStoreException;

    /// [#createOrder(Order, List, Effects)] without effects.
    default void createOrder(Order order, List<Authorization> authorizations) throws AcmeStoreException {
        createOrder(order, authorizations, Effects.NONE);
    }

    /// The order with `id`.
    Optional<Order> order(String id) throws AcmeStoreException;

    /// Identifiers of an account's orders that are not stored as invalid (RFC 8555 section 7.1.2.1), newest
    /// first, after `cursor` (an order id from a previous page, which may have become invalid since); empty for
    /// a cursor that is not one of the account's orders.
    List<String> orderIds(String accountId, Optional<String> cursor, int limit) throws AcmeStoreException;

    /// The order not stored as invalid whose `replaces` names `certificateId` (an RFC 9773 certificate
    /// identifier), if any; there is at most one (see [#createOrder]).
    Optional<Order> replacingOrder(String certificateId) throws AcmeStoreException;

    /// Replaces an order (compare-and-set on the version).
    boolean updateOrder(Order next, Effects effects) throws AcmeStoreException;

    /// [#updateOrder(Order, Effects)] without effects.
    default boolean updateOrder(Order next) throws AcmeStoreException {
        return updateOrder(next, Effects.NONE);
    }

    /// The authorization with `id`.
    Optional<Authorization> authorization(String id) throws AcmeStoreException;

    /// An account's valid, unexpired authorization for `identifier` (wildcard or not), to be reused by a
    /// new order; of several, the one that lasts longest.
    Optional<Authorization> reusableAuthorization(String accountId, Identifier identifier, boolean wildcard,
            Instant now) throws AcmeStoreException;

    /// Replaces an authorization, challenges included (compare-and-set on the version).
    boolean updateAuthorization(Authorization next, Effects effects) throws AcmeStoreException;

    /// [#updateAuthorization(Authorization, Effects)] without effects.
    default boolean updateAuthorization(Authorization next) throws AcmeStoreException {
        return updateAuthorization(next, Effects.NONE);
    }

    /// Authorizations with a stalled validation ([Authorization#stalledChallenge]): pending, unexpired at
    /// `now`, with a challenge `processing` since before `startedBefore` or since a time not recorded. At
    /// most `limit`, those expiring first first.
    List<Authorization> stalledValidations(Instant startedBefore, Instant now, int limit) throws AcmeStoreException;

    // --- external account binding ---------------------------------------------------------------------

    /// Stores a new EAB key; [AcmeStoreException.Kind#CONFLICT] when the key id exists.
    void createEabKey(EabKey key) throws AcmeStoreException;

    /// The EAB key with `keyId`.
    Optional<EabKey> eabKey(String keyId) throws AcmeStoreException;

    /// EAB keys of a provisioner (all of them when empty), oldest first.
    List<EabKey> eabKeys(Optional<String> provisioner) throws AcmeStoreException;

    /// Deletes an EAB key; false when there was none.
    boolean deleteEabKey(String keyId) throws AcmeStoreException;

    // --- renewal information --------------------------------------------------------------------------

    /// Stores an administrator's renewal-window override; [AcmeStoreException.Kind#CONFLICT] when its id exists.
    void addRenewalOverride(RenewalOverride override) throws AcmeStoreException;

    /// Every renewal-window override, oldest first.
    List<RenewalOverride> renewalOverrides() throws AcmeStoreException;
}
