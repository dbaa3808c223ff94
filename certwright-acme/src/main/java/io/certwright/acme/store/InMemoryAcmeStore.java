package io.certwright.acme.store;

import io.certwright.ca.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/// The ACME store in memory, for tests and for a server that is allowed to forget its ACME state on
/// restart. Thread-safe: every method holds the one lock. The audit events of [Effects] go to the sink given
/// at construction, in order, once their change is made.
public final class InMemoryAcmeStore implements AcmeStore {

    private final Consumer<AuditEvent> audit;

    private byte @Nullable [] nonceSecret;
    private final Map<String, Instant> usedNonces = new HashMap<>();
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private final Map<String, Authorization> authorizations = new HashMap<>();
    private final Map<String, EabKey> eabKeys = new LinkedHashMap<>();
    private final List<RenewalOverride> overrides = new ArrayList<>();

    /// A store whose effects' audit events go to `audit`.
    public InMemoryAcmeStore(Consumer<AuditEvent> audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /// Fails with [AcmeStoreException.Kind#NONCE_USED] when the effects' nonce was used before, and with
    /// [AcmeStoreException.Kind#SIGNER_CHANGED] when its signer is no longer valid with the key it signed with.
    private void checkNonce(Effects effects) throws AcmeStoreException {
        checkUsed(effects);
        checkSigner(effects, null);
    }

    private void checkUsed(Effects effects) throws AcmeStoreException {
        if (effects.nonce().isPresent() && usedNonces.containsKey(effects.nonce().get().value())) {
            throw new AcmeStoreException(AcmeStoreException.Kind.NONCE_USED, "the nonce was used before");
        }
    }

    /// Checks the effects' signer against the accounts as the change leaves them: `changed`, when not null,
    /// replaces the stored account with its id.
    private void checkSigner(Effects effects, @Nullable Account changed) throws AcmeStoreException {
        if (effects.nonce().isEmpty() || effects.nonce().get().signer().isEmpty()) {
            return;
        }
        Effects.Signer signer = effects.nonce().get().signer().get();
        Account a = changed != null && changed.id().equals(signer.accountId()) ? changed
                : accounts.get(signer.accountId());
        if (a == null || a.status() != AccountStatus.VALID || !a.keyThumbprint().equals(signer.keyThumbprint())) {
            throw new AcmeStoreException(AcmeStoreException.Kind.SIGNER_CHANGED, "account "
                    + signer.accountId() + " is no longer valid with the key that signed the request");
        }
    }

    /// Writes `effects` once the change they go with is made.
    private void apply(Effects effects) {
        effects.nonce().ifPresent(n -> usedNonces.put(n.value(), n.expires()));
        effects.audit().forEach(audit);
    }

    @Override
    public synchronized void record(Effects effects) throws AcmeStoreException {
        checkNonce(effects);
        apply(effects);
    }

    @Override
    public synchronized byte[] nonceSecret(Supplier<byte[]> create) {
        if (nonceSecret == null) {
            nonceSecret = create.get().clone();
        }
        return nonceSecret.clone();
    }

    @Override
    public synchronized boolean useNonce(String nonce, Instant expires) {
        return usedNonces.putIfAbsent(nonce, expires) == null;
    }

    @Override
    public synchronized int purgeUsedNonces(Instant now) {
        int before = usedNonces.size();
        usedNonces.values().removeIf(expires -> expires.isBefore(now));
        return before - usedNonces.size();
    }

    @Override
    public synchronized void createAccount(Account account, Effects effects) throws AcmeStoreException {
        checkNonce(effects);
        if (accounts.containsKey(account.id())) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "account " + account.id() + " exists");
        }
        if (byThumbprint(account.provisioner(), account.keyThumbprint()).isPresent()) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "the key is another account's key");
        }
        if (account.eabKeyId().isPresent()) {
            String keyId = account.eabKeyId().get();
            EabKey key = eabKeys.get(keyId);
            if (key == null || !key.provisioner().equals(account.provisioner()) || key.boundAccount().isPresent()) {
                throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "EAB key " + keyId
                        + " is unknown to the provisioner or bound already");
            }
            eabKeys.put(keyId, new EabKey(key.keyId(), key.provisioner(), key.hmacKey(), key.createdAt(),
                    Optional.of(account.id())));
        }
        accounts.put(account.id(), account);
        apply(effects);
    }

    @Override
    public synchronized Optional<Account> account(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    @Override
    public synchronized Optional<Account> accountByThumbprint(String provisioner, String thumbprint) {
        return byThumbprint(provisioner, thumbprint);
    }

    private Optional<Account> byThumbprint(String provisioner, String thumbprint) {
        return accounts.values().stream()
                .filter(a -> a.provisioner().equals(provisioner) && a.keyThumbprint().equals(thumbprint))
                .findFirst();
    }

    @Override
    public synchronized boolean updateAccount(Account next, Effects effects) throws AcmeStoreException {
        checkUsed(effects);
        Account current = accounts.get(next.id());
        if (current == null || current.version() != next.version() - 1) {
            return false;
        }
        Optional<Account> holder = byThumbprint(next.provisioner(), next.keyThumbprint());
        if (holder.isPresent() && !holder.get().id().equals(next.id())) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "the key is another account's key");
        }
        checkSigner(effects, next);
        accounts.put(next.id(), next);
        apply(effects);
        return true;
    }

    @Override
    public synchronized void createOrder(Order order, List<Authorization> newAuthorizations, Effects effects)
            throws AcmeStoreException {
        checkNonce(effects);
        if (orders.containsKey(order.id())) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "order " + order.id() + " exists");
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Authorization a : newAuthorizations) {
            if (authorizations.containsKey(a.id()) || !ids.add(a.id())) {
                throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "authorization " + a.id() + " exists");
            }
        }
        if (order.status() != OrderStatus.INVALID && order.replaces().isPresent()
                && replacing(order.replaces().get()).isPresent()) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "certificate " + order.replaces().get()
                    + " is replaced by another order already");
        }
        orders.put(order.id(), order);
        newAuthorizations.forEach(a -> authorizations.put(a.id(), a));
        apply(effects);
    }

    @Override
    public synchronized Optional<Order> order(String id) {
        return Optional.ofNullable(orders.get(id));
    }

    @Override
    public synchronized List<String> orderIds(String accountId, Optional<String> cursor, int limit) {
        List<Order> mine = orders.values().stream().filter(o -> o.accountId().equals(accountId))
                .sorted(Comparator.comparing(Order::createdAt).thenComparing(Order::id).reversed())
                .toList();
        if (limit <= 0) {
            return List.of();
        }
        int start = 0;
        if (cursor.isPresent()) {
            start = -1;
            for (int i = 0; i < mine.size(); i++) {
                if (mine.get(i).id().equals(cursor.get())) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                return List.of();
            }
        }
        return mine.subList(Math.min(start, mine.size()), mine.size()).stream()
                .filter(o -> o.status() != OrderStatus.INVALID).limit(limit).map(Order::id).toList();
    }

    @Override
    public synchronized Optional<Order> replacingOrder(String certificateId) {
        return replacing(certificateId);
    }

    private Optional<Order> replacing(String certificateId) {
        return orders.values().stream()
                .filter(o -> o.status() != OrderStatus.INVALID && o.replaces().equals(Optional.of(certificateId)))
                .findFirst();
    }

    @Override
    public synchronized boolean updateOrder(Order next, Effects effects) throws AcmeStoreException {
        checkNonce(effects);
        Order current = orders.get(next.id());
        if (current == null || current.version() != next.version() - 1) {
            return false;
        }
        orders.put(next.id(), next);
        apply(effects);
        return true;
    }

    @Override
    public synchronized Optional<Authorization> authorization(String id) {
        return Optional.ofNullable(authorizations.get(id));
    }

    @Override
    public synchronized Optional<Authorization> reusableAuthorization(String accountId, Identifier identifier,
            boolean wildcard, Instant now) {
        return authorizations.values().stream()
                .filter(a -> a.accountId().equals(accountId) && a.identifier().equals(identifier)
                        && a.wildcard() == wildcard && a.status() == AuthorizationStatus.VALID
                        && a.expires().isAfter(now))
                .max(Comparator.comparing(Authorization::expires));
    }

    @Override
    public synchronized boolean updateAuthorization(Authorization next, Effects effects)
            throws AcmeStoreException {
        checkNonce(effects);
        Authorization current = authorizations.get(next.id());
        if (current == null || current.version() != next.version() - 1) {
            return false;
        }
        authorizations.put(next.id(), next);
        apply(effects);
        return true;
    }

    @Override
    public synchronized List<Authorization> stalledValidations(Instant startedBefore, Instant now, int limit) {
        return authorizations.values().stream().filter(a -> a.stalledChallenge(startedBefore, now).isPresent())
                .sorted(Comparator.comparing(Authorization::expires).thenComparing(Authorization::id))
                .limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized void createEabKey(EabKey key) throws AcmeStoreException {
        if (eabKeys.putIfAbsent(key.keyId(), key) != null) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "EAB key " + key.keyId() + " exists");
        }
    }

    @Override
    public synchronized Optional<EabKey> eabKey(String keyId) {
        return Optional.ofNullable(eabKeys.get(keyId));
    }

    @Override
    public synchronized List<EabKey> eabKeys(Optional<String> provisioner) {
        return eabKeys.values().stream().filter(k -> provisioner.isEmpty() || k.provisioner().equals(provisioner.get()))
                .toList();
    }

    @Override
    public synchronized boolean deleteEabKey(String keyId) {
        return eabKeys.remove(keyId) != null;
    }

    @Override
    public synchronized void addRenewalOverride(RenewalOverride override) throws AcmeStoreException {
        if (overrides.stream().anyMatch(o -> o.id().equals(override.id()))) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "override " + override.id() + " exists");
        }
        overrides.add(override);
    }

    @Override
    public synchronized List<RenewalOverride> renewalOverrides() {
        return List.copyOf(overrides);
    }
}
