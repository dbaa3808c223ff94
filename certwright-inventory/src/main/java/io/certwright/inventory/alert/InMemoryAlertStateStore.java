package io.certwright.inventory.alert;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/// An [AlertStateStore] in memory, for tests and single-process use without a database.
public final class InMemoryAlertStateStore implements AlertStateStore {

    private final ConcurrentHashMap<String, AlertClaim> claims = new ConcurrentHashMap<>();

    @Override
    public boolean tryClaim(AlertClaim claim) {
        return claims.putIfAbsent(claim.key(), claim) == null;
    }

    @Override
    public void release(String key) {
        claims.remove(key);
    }

    @Override
    public List<AlertClaim> openClaims() {
        Set<String> resolved = new HashSet<>();
        for (AlertClaim c : claims.values()) {
            if (c.kind() == AlertKind.RESOLVED) {
                resolved.add(c.subject() + "\n" + c.channel());
            }
        }
        return claims.values().stream().filter(c -> !resolved.contains(c.subject() + "\n" + c.channel())).toList();
    }
}
