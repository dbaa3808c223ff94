package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.json;
import static io.certwright.acme.engine.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.EabCredentials;
import io.certwright.acme.EabKeys;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class AccountTest {

    private AcmeHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new AcmeHarness();
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aKnownKeyOnNewAccountAnswers200WithTheExistingAccountsLocation() throws Exception {
        AcmeClient c = h.account();
        AcmeResponse again = c.postWithJwk(c.url("new-account"), "{\"termsOfServiceAgreed\":true}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Location")).isEqualTo(c.kid);
        AcmeResponse lookup = c.postWithJwk(c.url("new-account"), "{\"onlyReturnExisting\":true}");
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.header("Location")).isEqualTo(c.kid);
    }

    @Test
    void onlyReturnExistingForAnUnknownKeyIsAccountDoesNotExistAndCreatesNothing() throws Exception {
        AcmeClient c = h.client(KeyAlgorithm.P256);
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"onlyReturnExisting\":true}"),
                AcmeProblemType.ACCOUNT_DOES_NOT_EXIST, 400);
        assertThat(h.store.accountByThumbprint("main", c.thumbprint())).isEmpty();
    }

    @Test
    void contactsMustBeMailtoUrlsOfOneAddress() throws Exception {
        AcmeClient c = h.client(KeyAlgorithm.P256);
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"contact\":[\"tel:+1555\"]}"),
                AcmeProblemType.UNSUPPORTED_CONTACT, 400);
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"contact\":[\"mailto:not-an-address\"]}"),
                AcmeProblemType.INVALID_CONTACT, 400);
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"contact\":[\"mailto:a@b.example,c@d.example\"]}"),
                AcmeProblemType.INVALID_CONTACT, 400);
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"contact\":\"mailto:a@b.example\"}"),
                AcmeProblemType.MALFORMED, 400);
        assertThat(h.store.accountByThumbprint("main", c.thumbprint())).isEmpty();
    }

    @Test
    void anAccountUpdatesItsContactsAndTheChangeIsAudited() throws Exception {
        AcmeClient c = h.account();
        AcmeResponse r = c.post(c.kid.orElseThrow(), "{\"contact\":[\"mailto:new@example.com\"]}");
        assertThat(json(r).get("contact").get(0).asString()).isEqualTo("mailto:new@example.com");
        assertThat(h.audit.last().action()).isEqualTo("acme.account.update");
        assertRefused(h, c.post(c.kid.orElseThrow(), "{\"status\":\"revoked\"}"), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void keyRolloverMovesTheAccountToTheNewKeyAndRetiresTheOld() throws Exception {
        AcmeClient c = h.account();
        KeyPair next = TestCa.keyPair(KeyAlgorithm.ED25519);
        AcmeResponse r = c.post(c.url("key-change"), keyChange(c, next, KeyAlgorithm.ED25519, c.kid.orElseThrow()));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(h.audit.last().action()).isEqualTo("acme.account.key-change");
        assertRefused(h, c.newOrder("old.example.com"), AcmeProblemType.BAD_SIGNATURE_ALGORITHM, 400);
        c.keys = next;
        c.algorithm = KeyAlgorithm.ED25519;
        assertThat(c.newOrder("new.example.com").status()).isEqualTo(201);
    }

    @Test
    void keyRolloverToAKeyInUseIsAConflictNamingTheAccountThatHasIt() throws Exception {
        AcmeClient c = h.account();
        AcmeClient other = h.account();
        AcmeResponse r = c.post(c.url("key-change"), keyChange(c, other.keys, KeyAlgorithm.P256, c.kid.orElseThrow()));
        assertRefused(h, r, AcmeProblemType.MALFORMED, 409);
        assertThat(r.header("Location")).isEqualTo(other.kid);
    }

    @Test
    void keyRolloverRefusesAnInnerJwsForAnotherAccountOrWithABadSignature() throws Exception {
        AcmeClient c = h.account();
        AcmeClient other = h.account();
        KeyPair next = TestCa.keyPair(KeyAlgorithm.P256);
        assertRefused(h, c.post(c.url("key-change"), keyChange(c, next, KeyAlgorithm.P256, other.kid.orElseThrow())),
                AcmeProblemType.UNAUTHORIZED, 403);
        ObjectNode inner = (ObjectNode) AcmeClient.JSON.readTree(keyChange(c, next, KeyAlgorithm.P256,
                c.kid.orElseThrow()));
        inner.put("signature", AcmeClient.b64(new byte[64]));
        assertRefused(h, c.post(c.url("key-change"), inner.toString()), AcmeProblemType.MALFORMED, 400);
    }

    static String keyChange(AcmeClient c, KeyPair next, KeyAlgorithm alg, String account) throws Exception {
        ObjectNode header = AcmeClient.JSON.createObjectNode();
        header.put("alg", AcmeClient.alg(alg));
        header.set("jwk", AcmeClient.jwkNode(next.getPublic()));
        header.put("url", c.url("key-change"));
        ObjectNode payload = AcmeClient.JSON.createObjectNode();
        payload.put("account", account);
        payload.set("oldKey", AcmeClient.jwkNode(c.keys.getPublic()));
        return new String(AcmeClient.jws(header, payload.toString(), alg, next.getPrivate()), StandardCharsets.UTF_8);
    }

    // --- external account binding ---------------------------------------------------------------------

    static String eab(AcmeClient c, String keyId, byte[] macKey, String url) throws Exception {
        ObjectNode header = AcmeClient.JSON.createObjectNode();
        header.put("alg", "HS256");
        header.put("kid", keyId);
        header.put("url", url);
        String p = AcmeClient.b64(header.toString());
        String payload = AcmeClient.b64(AcmeClient.jwk(c.keys.getPublic()).toJSONString());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
        String sig = AcmeClient.b64(mac.doFinal((p + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        return "{\"protected\":\"" + p + "\",\"payload\":\"" + payload + "\",\"signature\":\"" + sig + "\"}";
    }

    private EabCredentials eabKey(String provisioner) throws Exception {
        return new EabKeys(h.store, h.clock, new SecureRandom()).create(provisioner);
    }

    @Test
    void aDirectoryThatRequiresEabRefusesAccountsWithoutOne() throws Exception {
        AcmeClient c = h.client("eab");
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"termsOfServiceAgreed\":true}"),
                AcmeProblemType.EXTERNAL_ACCOUNT_REQUIRED, 401);
        assertThat(h.store.accountByThumbprint("eab", c.thumbprint())).isEmpty();
    }

    @Test
    void aValidEabCreatesTheAccountAndBindsTheKeyToIt() throws Exception {
        EabCredentials key = eabKey("eab");
        assertThat(key.toString()).doesNotContain(key.hmacKeyBase64Url());
        AcmeClient c = h.client("eab");
        byte[] mac = Base64.getUrlDecoder().decode(key.hmacKeyBase64Url());
        AcmeResponse r = c.postWithJwk(c.url("new-account"), "{\"externalAccountBinding\":"
                + eab(c, key.keyId(), mac, c.url("new-account")) + "}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        String id = r.header("Location").orElseThrow().substring(r.header("Location").orElseThrow().lastIndexOf('/') + 1);
        assertThat(h.store.eabKey(key.keyId()).orElseThrow().boundAccount()).contains(id);
        assertThat(h.store.account(id).orElseThrow().eabKeyId()).contains(key.keyId());

        AcmeClient second = h.client("eab");
        assertRefused(h, second.postWithJwk(second.url("new-account"), "{\"externalAccountBinding\":"
                + eab(second, key.keyId(), mac, second.url("new-account")) + "}"), AcmeProblemType.UNAUTHORIZED, 403);
        assertThat(h.store.accountByThumbprint("eab", second.thumbprint())).isEmpty();
    }

    @Test
    void anEabWithAWrongMacAnotherDirectorysKeyOrAnotherAccountKeyIsRefused() throws Exception {
        EabCredentials key = eabKey("eab");
        AcmeClient c = h.client("eab");
        byte[] wrong = new byte[32];
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"externalAccountBinding\":"
                + eab(c, key.keyId(), wrong, c.url("new-account")) + "}"), AcmeProblemType.UNAUTHORIZED, 403);
        EabCredentials foreign = eabKey("main");
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"externalAccountBinding\":"
                + eab(c, foreign.keyId(), Base64.getUrlDecoder().decode(foreign.hmacKeyBase64Url()),
                        c.url("new-account")) + "}"), AcmeProblemType.UNAUTHORIZED, 403);
        AcmeClient other = h.client("eab");
        byte[] mac = Base64.getUrlDecoder().decode(key.hmacKeyBase64Url());
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{\"externalAccountBinding\":"
                + eab(other, key.keyId(), mac, c.url("new-account")) + "}"), AcmeProblemType.MALFORMED, 400);
        assertThat(h.store.eabKey(key.keyId()).orElseThrow().boundAccount()).isEmpty();
        assertThat(h.store.accountByThumbprint("eab", c.thumbprint())).isEmpty();
    }

    @Test
    void anAccountKeepsItsProvisioner() throws Exception {
        AcmeClient c = h.account();
        AcmeClient same = h.client("http");
        same.keys = c.keys;
        same.kid = Optional.empty();
        assertThat(same.postWithJwk(same.url("new-account"), "{}").status()).isEqualTo(201);
    }
}
