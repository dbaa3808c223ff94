package io.certwright.acme.engine;

import java.net.URI;
import java.util.Optional;

/// The URLs of one provisioner's resources: `<base>/acme/<provisioner>/...`.
final class Urls {

    private final String base;
    private final String prefix;

    Urls(URI baseUrl, String provisioner) {
        this.base = baseUrl.toString();
        this.prefix = base + "/acme/" + provisioner + "/";
    }

    /// The full URL of a request path, as the JWS `url` must name it.
    String of(String path) {
        return base + path;
    }

    String directory() {
        return prefix + "directory";
    }

    String newNonce() {
        return prefix + "new-nonce";
    }

    String newAccount() {
        return prefix + "new-account";
    }

    String newOrder() {
        return prefix + "new-order";
    }

    String revokeCert() {
        return prefix + "revoke-cert";
    }

    String keyChange() {
        return prefix + "key-change";
    }

    String renewalInfo() {
        return prefix + "renewal-info";
    }

    String account(String id) {
        return prefix + "account/" + id;
    }

    String orders(String accountId) {
        return prefix + "orders/" + accountId;
    }

    String ordersAfter(String accountId, String cursor) {
        return prefix + "orders/" + accountId + "/" + cursor;
    }

    String order(String id) {
        return prefix + "order/" + id;
    }

    String finalizeOrder(String id) {
        return prefix + "order/" + id + "/finalize";
    }

    String authz(String id) {
        return prefix + "authz/" + id;
    }

    String challenge(String authzId, String challengeId) {
        return prefix + "chall/" + authzId + "/" + challengeId;
    }

    String certificate(String serialHex) {
        return prefix + "cert/" + serialHex;
    }

    /// The account id of a `kid` that is an account URL of this provisioner.
    Optional<String> accountId(String kid) {
        String head = prefix + "account/";
        if (!kid.startsWith(head)) {
            return Optional.empty();
        }
        String id = kid.substring(head.length());
        return Route.isId(id) ? Optional.of(id) : Optional.empty();
    }
}
