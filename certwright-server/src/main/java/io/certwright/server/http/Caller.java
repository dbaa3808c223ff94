package io.certwright.server.http;

import io.certwright.ca.access.ApiToken;
import io.certwright.ca.access.Secret;

/// Who is calling, as far as the route's [Access] required finding out.
sealed interface Caller {

    /// The audit actor.
    String actor();

    /// No credentials were needed (public routes, or mTLS routes whose handler checks the certificate).
    record Anonymous(String address) implements Caller {
        @Override
        public String actor() {
            return "anonymous:" + address;
        }
    }

    /// A valid API token with a sufficient role.
    record Token(ApiToken token) implements Caller {
        @Override
        public String actor() {
            return "token:" + token.id();
        }
    }

    /// A bearer secret that is not an API token; the handler redeems it as an enrollment token.
    record Bearer(Secret secret, String address) implements Caller {
        @Override
        public String actor() {
            return "anonymous:" + address;
        }
    }
}
