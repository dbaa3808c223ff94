package io.certwright.acme.jws;

import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.EabKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/// Checks an external account binding (RFC 8555 section 7.3.4): a JWS, MACed with HS256 under a key the
/// administrator handed out, whose payload is the new account's key, whose `kid` names that key and whose
/// `url` is the new-account URL.
public final class ExternalAccountBinding {

    /// The MAC algorithms accepted.
    public static final List<String> ALGORITHMS = List.of("HS256");

    private ExternalAccountBinding() {
    }

    /// Verifies the binding and returns the key it was made with; the caller creates the account with it,
    /// which binds the key in the same step ([AcmeStore#createAccount]).
    ///
    /// @param binding the `externalAccountBinding` member of the new-account payload
    /// @param url the new-account URL
    /// @param provisioner the provisioner the account is created under
    /// @param accountKey the key of the account being created
    /// @throws AcmeException `malformed` when the binding is not a well-formed JWS over the account key,
    ///     `unauthorized` when its key is unknown, another provisioner's, used, or the MAC does not verify
    public static EabKey verify(JsonNode binding, String url, String provisioner, AccountKey accountKey,
            AcmeStore store) throws AcmeException, AcmeStoreException {
        JwsMessage jws = JwsMessage.parse(binding, ALGORITHMS);
        String kid = jws.headerString("kid").orElseThrow(() -> AcmeException.of(AcmeProblemType.MALFORMED,
                "the external account binding has no 'kid'"));
        if (jws.header().has("nonce")) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the external account binding must not have a nonce");
        }
        if (!jws.headerString("url").equals(Optional.of(url))) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the external account binding's 'url' must be "
                    + url);
        }
        AccountKey bound = AccountKey.parse(new String(jws.payload(), StandardCharsets.UTF_8));
        if (!bound.sameKey(accountKey)) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the external account binding is over another key "
                    + "than the account key");
        }
        Optional<EabKey> key = store.eabKey(kid);
        if (key.isEmpty() || !key.get().provisioner().equals(provisioner)) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "external account binding key '"
                    + JwsMessage.printable(kid) + "' is not known to this directory");
        }
        if (!MessageDigest.isEqual(hs256(key.get().hmacKey(), jws.signingInput()), jws.signature())) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the external account binding's MAC does not "
                    + "verify");
        }
        if (key.get().boundAccount().isPresent()) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "external account binding key '" + kid
                    + "' was used for another account already");
        }
        return key.get();
    }

    /// HMAC-SHA256 of `data`.
    static byte[] hs256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
