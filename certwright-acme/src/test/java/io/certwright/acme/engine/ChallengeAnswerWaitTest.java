package io.certwright.acme.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.validation.ValidationOutcome;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/// With a challenge answer wait, the answer to a challenge response waits for the validation it starts: a
/// validation that ends in time is answered with its outcome (so the client need not poll), one that does
/// not is answered `processing` as without the wait.
class ChallengeAnswerWaitTest {

    private @Nullable AcmeHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private AcmeHarness harness(AcmeHarness started) {
        this.h = started;
        return started;
    }

    private static JsonNode json(AcmeResponse r) {
        return AcmeClient.json(r);
    }

    private record Started(AcmeClient client, String authzUrl, String challengeUrl) {
    }

    private Started orderFor(AcmeHarness harness, String name) throws Exception {
        AcmeClient c = harness.account();
        JsonNode order = json(c.newOrder(name));
        String authzUrl = order.get("authorizations").get(0).asString();
        String challengeUrl = json(c.postAsGet(authzUrl)).get("challenges").get(0).get("url").asString();
        return new Started(c, authzUrl, challengeUrl);
    }

    @Test
    void aValidationThatEndsInTimeIsAnsweredValidWithItsAuthorizationValid() throws Exception {
        AcmeHarness h = harness(new AcmeHarness(s -> s.withChallengeAnswerWait(Duration.ofMinutes(1))));
        Started s = orderFor(h, "quick.example.com");

        JsonNode answered = json(s.client().post(s.challengeUrl(), "{}"));
        assertThat(answered.get("status").asString()).isEqualTo("valid");
        assertThat(answered.get("validated").asString()).isEqualTo(h.clock.instant().toString());
        assertThat(json(s.client().postAsGet(s.authzUrl())).get("status").asString()).isEqualTo("valid");
        assertThat(h.validator.attempts()).hasSize(1);
    }

    @Test
    void aValidationThatFailsInTimeIsAnsweredInvalidWithTheValidatorsError() throws Exception {
        AcmeHarness h = harness(new AcmeHarness(s -> s.withChallengeAnswerWait(Duration.ofMinutes(1))));
        h.validator.answer("wrong.example.com", new ValidationOutcome.Invalid(AcmeProblemType.INCORRECT_RESPONSE,
                "the token was wrong"));
        Started s = orderFor(h, "wrong.example.com");

        JsonNode answered = json(s.client().post(s.challengeUrl(), "{}"));
        assertThat(answered.get("status").asString()).isEqualTo("invalid");
        assertThat(answered.get("error").get("type").asString()).isEqualTo(AcmeProblemType.INCORRECT_RESPONSE.urn());
    }

    @Test
    void aValidationStillRunningWhenTheWaitEndsIsAnsweredProcessing() throws Exception {
        AcmeHarness h = harness(new AcmeHarness(s -> s.withChallengeAnswerWait(Duration.ofMillis(50))));
        h.validator.hold("slow.example.com");
        Started s = orderFor(h, "slow.example.com");

        JsonNode answered = json(s.client().post(s.challengeUrl(), "{}"));
        assertThat(answered.get("status").asString()).isEqualTo("processing");

        h.validator.release("slow.example.com", new ValidationOutcome.Valid());
        assertThat(s.client().awaitAuthorization(s.authzUrl()).get("status").asString()).isEqualTo("valid");
    }

    @Test
    void withoutAWaitEvenAnImmediateValidationIsAnsweredProcessing() throws Exception {
        AcmeHarness h = harness(new AcmeHarness());
        Started s = orderFor(h, "plain.example.com");
        assertThat(json(s.client().post(s.challengeUrl(), "{}")).get("status").asString()).isEqualTo("processing");
        assertThat(s.client().awaitAuthorization(s.authzUrl()).get("status").asString()).isEqualTo("valid");
    }
}
