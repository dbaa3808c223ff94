package io.certwright.acme.engine;

import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeProblem;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.Identifiers;
import io.certwright.acme.jws.AccountKey;
import io.certwright.acme.jws.ExternalAccountBinding;
import io.certwright.acme.jws.JwsMessage;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.AccountStatus;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.EabKey;
import io.certwright.acme.store.Effects;
import io.certwright.acme.store.Order;
import io.certwright.acme.store.OrderStatus;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.policy.DnsNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// Accounts (RFC 8555 section 7.3): creation (with external account binding), lookup by key, contact
/// updates, deactivation, key rollover, and the account's orders list.
final class Accounts {

    private static final int MAX_CONTACTS = 10;
    private static final int MAX_CONTACT_LENGTH = 254;
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=^_`{|}~.-]{1,64}");

    private final Engine engine;

    Accounts(Engine engine) {
        this.engine = engine;
    }

    Reply newAccount(Call call) throws AcmeException, AcmeStoreException {
        JsonNode p = call.jws().payloadObject();
        AccountKey key = call.key();
        String provisioner = call.provisioner.name();
        Optional<Account> existing = engine.store.accountByThumbprint(provisioner, key.thumbprint());
        if (existing.isPresent()) {
            return existing(existing.get(), call);
        }
        if (bool(p, "onlyReturnExisting")) {
            throw AcmeException.of(AcmeProblemType.ACCOUNT_DOES_NOT_EXIST, "no account has this key");
        }
        List<String> contacts = contacts(p).orElse(List.of());
        boolean agreed = bool(p, "termsOfServiceAgreed");
        if (call.provisioner.termsOfService().isPresent() && !agreed) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "new accounts must agree to the terms of service "
                    + call.provisioner.termsOfService().get() + " (termsOfServiceAgreed: true)");
        }
        Optional<JsonNode> binding = p.optional("externalAccountBinding").filter(n -> !n.isNull());
        Optional<EabKey> eab = Optional.empty();
        if (binding.isPresent()) {
            eab = Optional.of(ExternalAccountBinding.verify(binding.get(), call.urls.newAccount(), provisioner, key,
                    engine.store));
        } else if (call.provisioner.eabRequired()) {
            throw AcmeException.of(AcmeProblemType.EXTERNAL_ACCOUNT_REQUIRED, "this directory admits new accounts "
                    + "with an external account binding only");
        }
        engine.rateLimit("accounts:" + call.request.remoteAddress(),
                engine.settings.rateLimits().newAccountsPerAddress(), call.now, "new accounts from this address");
        String id = engine.newId(16);
        Account account = new Account(id, provisioner, key.thumbprint(), key.jwk(), contacts, AccountStatus.VALID,
                call.now, eab.map(EabKey::keyId), agreed, 1);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("key", key.type() + " " + key.thumbprint());
        details.put("contacts", Integer.toString(contacts.size()));
        details.put("terms_of_service_agreed", Boolean.toString(agreed));
        eab.ifPresent(k -> details.put("eab_key_id", k.keyId()));
        details.put("address", call.request.remoteAddress());
        Effects effects = call.effects(List.of(AuditEvent.success(Call.actorOf(account), "acme.account.create", id,
                details)));
        try {
            // Binds the EAB key in the same transaction: a creation that fails leaves the key unbound.
            engine.store.createAccount(account, effects);
        } catch (AcmeStoreException e) {
            if (e.kind() == AcmeStoreException.Kind.CONFLICT) {
                // Another request created an account with this key in the meantime; answer with it.
                Optional<Account> winner = engine.store.accountByThumbprint(provisioner, key.thumbprint());
                if (winner.isPresent()) {
                    return existing(winner.get(), call);
                }
                if (eab.isPresent()) {
                    // Another request bound the EAB key in the meantime, or an administrator deleted it.
                    String kid = eab.get().keyId();
                    throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "external account binding key '" + kid
                            + (engine.store.eabKey(kid).isPresent() ? "' was used for another account already"
                                    : "' is not known to this directory"));
                }
            }
            throw e;
        }
        call.written(effects);
        call.authenticated(call.jws(), key, Optional.of(account));
        return Reply.json(201, Wire.account(account, call.urls)).location(call.urls.account(id));
    }

    private static Reply existing(Account account, Call call) throws AcmeException {
        if (account.status() != AccountStatus.VALID) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the account of this key is "
                    + account.status().wire());
        }
        return Reply.json(200, Wire.account(account, call.urls))
                .location(call.urls.account(account.id()));
    }

    Reply account(Call call) throws AcmeException, AcmeStoreException {
        Account account = call.account();
        if (!account.id().equals(call.route.param())) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the request is not signed by this account");
        }
        if (call.jws().isPostAsGet()) {
            return Reply.json(200, Wire.account(account, call.urls));
        }
        JsonNode p = call.jws().payloadObject();
        Optional<String> status = string(p, "status");
        Optional<List<String>> contacts = contacts(p);
        if (status.isPresent() && !"deactivated".equals(status.get())) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "an account's status can only be set to deactivated");
        }
        Account current = account;
        for (int i = 0; i < 20; i++) {
            Account next = current;
            if (contacts.isPresent()) {
                next = next.withContacts(contacts.get());
            }
            if (status.isPresent()) {
                next = new Account(next.id(), next.provisioner(), next.keyThumbprint(), next.jwk(), next.contacts(),
                        AccountStatus.DEACTIVATED, next.createdAt(), next.eabKeyId(), next.termsOfServiceAgreed(),
                        current.version() + 1);
            }
            if (contacts.isEmpty() && status.isEmpty()) {
                return Reply.json(200, Wire.account(current, call.urls));
            }
            Map<String, String> details = new LinkedHashMap<>();
            contacts.ifPresent(c -> details.put("contacts", Integer.toString(c.size())));
            status.ifPresent(s -> details.put("status", s));
            Effects effects = call.effects(List.of(Engine.event(call, status.isPresent() ? "acme.account.deactivate"
                    : "acme.account.update", account.id(), details)));
            if (engine.store.updateAccount(next, effects)) {
                call.written(effects);
                return Reply.json(200, Wire.account(next, call.urls));
            }
            current = engine.store.account(account.id()).orElseThrow(Route::notFound);
            if (current.status() != AccountStatus.VALID) {
                throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the account is " + current.status().wire());
            }
        }
        throw new AcmeStoreException(AcmeStoreException.Kind.UNAVAILABLE, "account " + account.id()
                + " keeps changing");
    }

    Reply keyChange(Call call) throws AcmeException, AcmeStoreException {
        Account account = call.account();
        JwsMessage inner = JwsMessage.parse(call.jws().payloadObject(), JwsMessage.ALGORITHMS);
        if (inner.jwk().isEmpty() || inner.header().has("kid")) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the inner JWS of a key change carries the new key "
                    + "as 'jwk' and no 'kid'");
        }
        if (inner.header().has("nonce")) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the inner JWS of a key change must not have a nonce");
        }
        if (!inner.headerString("url").equals(Optional.of(call.urls.keyChange()))) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the inner JWS's url must be the outer JWS's url");
        }
        AccountKey newKey = AccountKey.parse(inner.jwk().orElseThrow().toString());
        inner.verify(newKey);
        JsonNode p = inner.payloadObject();
        if (!string(p, "account").equals(Optional.of(call.urls.account(account.id())))) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the key change names another account than the "
                    + "one that signed it");
        }
        JsonNode oldKey = p.optional("oldKey").filter(JsonNode::isObject).orElseThrow(
                () -> AcmeException.of(AcmeProblemType.MALFORMED, "the key change has no 'oldKey' object"));
        if (!AccountKey.parse(oldKey.toString()).sameKey(call.key())) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "'oldKey' is not the account's current key");
        }
        if (newKey.sameKey(call.key())) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the new key is the account's current key");
        }
        Optional<Account> holder = engine.store.accountByThumbprint(call.provisioner.name(), newKey.thumbprint());
        if (holder.isPresent()) {
            throw keyInUse(call, holder.get());
        }
        Account next = account.withKey(newKey.thumbprint(), newKey.jwk());
        Effects effects = call.effects(List.of(Engine.event(call, "acme.account.key-change", account.id(),
                Map.of("old_key", call.key().thumbprint(), "new_key", newKey.type() + " " + newKey.thumbprint()))));
        boolean updated;
        try {
            updated = engine.store.updateAccount(next, effects);
        } catch (AcmeStoreException e) {
            if (e.kind() == AcmeStoreException.Kind.CONFLICT) {
                Optional<Account> h = engine.store.accountByThumbprint(call.provisioner.name(), newKey.thumbprint());
                if (h.isPresent()) {
                    throw keyInUse(call, h.get());
                }
            }
            throw e;
        }
        if (!updated) {
            throw new AcmeException(AcmeProblem.of(AcmeProblemType.MALFORMED, "the account changed while its key "
                    + "was being rolled over; retry").withStatus(409));
        }
        call.written(effects);
        return Reply.json(200, Wire.account(next, call.urls));
    }

    private static AcmeException keyInUse(Call call, Account holder) {
        return new AcmeException(AcmeProblem.of(AcmeProblemType.MALFORMED, "the new key is the key of an account "
                + "already").withStatus(409), Optional.of(call.urls.account(holder.id())), Optional.empty());
    }

    Reply orders(Call call) throws AcmeException, AcmeStoreException {
        Account account = call.account();
        if (!account.id().equals(call.route.param())) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the request is not signed by this account");
        }
        if (!call.jws().isPostAsGet()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the orders list is read with POST-as-GET");
        }
        Optional<String> cursor = call.route.params().size() > 1 ? Optional.of(call.route.params().get(1))
                : Optional.empty();
        int size = engine.settings.ordersPageSize();
        List<String> ids = liveOrderIds(account.id(), cursor, size + 1, call);
        ObjectNode body = Wire.object();
        ArrayNode list = body.putArray("orders");
        ids.stream().limit(size).forEach(id -> list.add(call.urls.order(id)));
        Reply r = Reply.json(200, body);
        if (ids.size() > size) {
            r.link(call.urls.ordersAfter(account.id(), ids.get(size - 1)), "next");
        }
        return r;
    }

    /// Up to `limit` of the account's orders after `cursor` that are not invalid (RFC 8555 section 7.1.2.1:
    /// the list SHOULD NOT include them). The store leaves out orders stored as invalid; an order stored as
    /// pending or ready may be invalid as of now (expired, or an authorization failed), which its state on
    /// read says and stores, so it is left out too and the page filled from further on.
    private List<String> liveOrderIds(String accountId, Optional<String> cursor, int limit, Call call)
            throws AcmeStoreException {
        List<String> live = new ArrayList<>();
        Optional<String> after = cursor;
        while (live.size() < limit) {
            int wanted = limit - live.size();
            List<String> ids = engine.store.orderIds(accountId, after, wanted);
            for (String id : ids) {
                Optional<Order> o = engine.store.order(id);
                if (o.isPresent() && engine.refresh(o.get(), call.now).status() != OrderStatus.INVALID) {
                    live.add(id);
                }
            }
            if (ids.size() < wanted) {
                break;
            }
            after = Optional.of(ids.getLast());
        }
        return live;
    }

    // --- payload fields -------------------------------------------------------------------------------

    private static boolean bool(JsonNode p, String name) throws AcmeException {
        Optional<JsonNode> v = p.optional(name).filter(n -> !n.isNull());
        if (v.isEmpty()) {
            return false;
        }
        if (!v.get().isBoolean()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "'" + name + "' must be true or false");
        }
        return v.get().booleanValue();
    }

    private static Optional<String> string(JsonNode p, String name) throws AcmeException {
        return io.certwright.acme.AcmeJson.string(p, name);
    }

    /// The `contact` list: `mailto:` URLs with one address each (RFC 8555 section 7.3).
    private static Optional<List<String>> contacts(JsonNode p) throws AcmeException {
        Optional<JsonNode> node = p.optional("contact").filter(n -> !n.isNull());
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (!node.get().isArray()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "'contact' must be an array of URLs");
        }
        if (node.get().size() > MAX_CONTACTS) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "at most " + MAX_CONTACTS + " contacts");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : node.get()) {
            if (!c.isString()) {
                throw AcmeException.of(AcmeProblemType.MALFORMED, "'contact' must be an array of URLs");
            }
            String url = c.stringValue();
            if (!url.toLowerCase(Locale.ROOT).startsWith("mailto:")) {
                throw AcmeException.of(AcmeProblemType.UNSUPPORTED_CONTACT, "contact '" + Identifiers.printable(url)
                        + "' is not supported; only mailto: URLs are");
            }
            String address = url.substring("mailto:".length());
            if (!validEmail(address) || url.length() > MAX_CONTACT_LENGTH) {
                throw AcmeException.of(AcmeProblemType.INVALID_CONTACT, "contact '" + Identifiers.printable(url)
                        + "' is not a mailto: URL of one email address");
            }
            out.add("mailto:" + address);
        }
        return Optional.of(List.copyOf(out));
    }

    private static boolean validEmail(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at != address.indexOf('@')) {
            return false;
        }
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        return LOCAL_PART.matcher(address.substring(0, at)).matches() && domain.contains(".")
                && DnsNames.isValidHostname(domain);
    }
}
