package io.certwright.acme.engine;

import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeProblem;
import io.certwright.acme.AcmeProblemType;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// The ACME URL space, on one screen: which path is which resource, what methods it takes, and how its
/// requests are authenticated.
///
/// @param provisioner the provisioner name (first segment after `/acme/`)
/// @param resource the resource
/// @param params the path parameters, in order
record Route(String provisioner, Resource resource, List<String> params) {

    /// How a resource's requests are authenticated.
    enum Auth {
        /// No JWS (GET).
        NONE,
        /// A JWS with `jwk`: new-account.
        JWK,
        /// A JWS with `kid`: everything an account does.
        KID,
        /// Either: revoke-cert (account key or certificate key).
        JWK_OR_KID
    }

    /// The resources.
    @SuppressWarnings("ImmutableEnumChecker") // Set.of is immutable
    enum Resource {
        DIRECTORY(Set.of("GET"), Auth.NONE),
        NEW_NONCE(Set.of("HEAD", "GET"), Auth.NONE),
        NEW_ACCOUNT(Set.of("POST"), Auth.JWK),
        ACCOUNT(Set.of("POST"), Auth.KID),
        ORDERS(Set.of("POST"), Auth.KID),
        NEW_ORDER(Set.of("POST"), Auth.KID),
        ORDER(Set.of("POST"), Auth.KID),
        FINALIZE(Set.of("POST"), Auth.KID),
        AUTHZ(Set.of("POST"), Auth.KID),
        CHALLENGE(Set.of("POST"), Auth.KID),
        CERTIFICATE(Set.of("POST"), Auth.KID),
        REVOKE_CERT(Set.of("POST"), Auth.JWK_OR_KID),
        KEY_CHANGE(Set.of("POST"), Auth.KID),
        RENEWAL_INFO(Set.of("GET"), Auth.NONE);

        private final Set<String> methods;
        private final Auth auth;

        Resource(Set<String> methods, Auth auth) {
            this.methods = methods;
            this.auth = auth;
        }

        Set<String> methods() {
            return methods;
        }

        Auth auth() {
            return auth;
        }

        /// Whether a request to this resource may be authenticated with a cached copy of its signing account:
        /// every `kid` request except those that change the account (update, deactivation, key change), which
        /// read it from the store.
        boolean cachesAccount() {
            return auth != Auth.NONE && auth != Auth.JWK && this != ACCOUNT && this != KEY_CHANGE;
        }

        /// The audit action of requests to this resource.
        String action() {
            return "acme." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern RENEWAL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,200}");
    private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{1,42}");

    /// Whether `text` can be a resource id.
    static boolean isId(String text) {
        return ID.matcher(text).matches();
    }

    /// The route of `path`.
    ///
    /// @throws AcmeException `malformed` with 404 for a path that names no resource
    static Route parse(String path) throws AcmeException {
        if (!path.startsWith("/acme/")) {
            throw notFound();
        }
        String[] s = path.substring("/acme/".length()).split("/", -1);
        if (s.length < 2 || s[0].isEmpty()) {
            throw notFound();
        }
        String p = s[0];
        @Nullable Route r = switch (s.length) {
            case 2 -> switch (s[1]) {
                case "directory" -> new Route(p, Resource.DIRECTORY, List.of());
                case "new-nonce" -> new Route(p, Resource.NEW_NONCE, List.of());
                case "new-account" -> new Route(p, Resource.NEW_ACCOUNT, List.of());
                case "new-order" -> new Route(p, Resource.NEW_ORDER, List.of());
                case "revoke-cert" -> new Route(p, Resource.REVOKE_CERT, List.of());
                case "key-change" -> new Route(p, Resource.KEY_CHANGE, List.of());
                default -> null;
            };
            case 3 -> switch (s[1]) {
                case "account" -> id(p, Resource.ACCOUNT, s[2]);
                case "orders" -> id(p, Resource.ORDERS, s[2]);
                case "order" -> id(p, Resource.ORDER, s[2]);
                case "authz" -> id(p, Resource.AUTHZ, s[2]);
                case "cert" -> SERIAL.matcher(s[2]).matches() ? new Route(p, Resource.CERTIFICATE, List.of(s[2])) : null;
                case "renewal-info" -> RENEWAL_ID.matcher(s[2]).matches()
                        ? new Route(p, Resource.RENEWAL_INFO, List.of(s[2])) : null;
                default -> null;
            };
            case 4 -> switch (s[1]) {
                case "order" -> "finalize".equals(s[3]) ? id(p, Resource.FINALIZE, s[2]) : null;
                case "chall" -> isId(s[2]) && isId(s[3]) ? new Route(p, Resource.CHALLENGE, List.of(s[2], s[3])) : null;
                case "orders" -> isId(s[2]) && isId(s[3]) ? new Route(p, Resource.ORDERS, List.of(s[2], s[3])) : null;
                default -> null;
            };
            default -> null;
        };
        if (r == null) {
            throw notFound();
        }
        return r;
    }

    private static @Nullable Route id(String provisioner, Resource resource, String id) {
        return isId(id) ? new Route(provisioner, resource, List.of(id)) : null;
    }

    static AcmeException notFound() {
        return new AcmeException(AcmeProblem.of(AcmeProblemType.MALFORMED, "no such resource").withStatus(404));
    }

    /// The first path parameter.
    String param() {
        return params.getFirst();
    }
}
