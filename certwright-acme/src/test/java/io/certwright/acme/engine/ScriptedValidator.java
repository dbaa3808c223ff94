package io.certwright.acme.engine;

import io.certwright.acme.store.Identifier;
import io.certwright.acme.validation.ChallengeValidator;
import io.certwright.acme.validation.ValidationOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/// A challenge validator that answers as the test says: valid unless an identifier was given another
/// outcome, or held until the test releases it. Records what it was asked and on which kind of thread.
final class ScriptedValidator implements ChallengeValidator {

    record Attempt(Identifier identifier, String type, String token, String keyAuthorization, boolean virtualThread,
            String threadName) {
    }

    private final Map<String, ValidationOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ValidationOutcome>> held = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    /// Answers `outcome` for `identifier` from now on.
    void answer(String identifier, ValidationOutcome outcome) {
        outcomes.put(identifier, outcome);
    }

    /// Holds validations of `identifier` until [#release].
    void hold(String identifier) {
        held.put(identifier, new CompletableFuture<>());
    }

    void release(String identifier, ValidationOutcome outcome) {
        java.util.Objects.requireNonNull(held.get(identifier), identifier).complete(outcome);
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    @Override
    public Duration timeLimit() {
        return Duration.ofSeconds(10);
    }

    @Override
    public CompletableFuture<ValidationOutcome> validate(Identifier identifier, String challengeType, String token,
            String keyAuthorization) {
        Thread t = Thread.currentThread();
        attempts.add(new Attempt(identifier, challengeType, token, keyAuthorization, t.isVirtual(), t.getName()));
        CompletableFuture<ValidationOutcome> h = held.get(identifier.value());
        if (h != null) {
            return h;
        }
        return CompletableFuture.completedFuture(outcomes.getOrDefault(identifier.value(),
                new ValidationOutcome.Valid()));
    }
}
