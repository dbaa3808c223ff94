package io.certwright.acme.validation;

/// What one attempt is doing now, so that a timeout can say where it was.
final class Attempt {

    private volatile String doing = "starting";

    /// Notes that the attempt now waits on `what` (for example `connecting to 127.0.0.1:80`).
    void now(String what) {
        doing = what;
    }

    /// What the attempt was last doing.
    String doing() {
        return doing;
    }
}
