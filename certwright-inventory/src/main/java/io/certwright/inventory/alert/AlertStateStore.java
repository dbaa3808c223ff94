package io.certwright.inventory.alert;

import java.util.List;

/// Which notifications have been sent, so each goes out once, across restarts and server replicas.
///
/// [#tryClaim] is a conditional insert on a unique key (for SQL stores: a primary key and
/// `INSERT ... ON CONFLICT DO NOTHING`), so of any number of concurrent callers exactly one wins.
public interface AlertStateStore {

    /// Records the claim unless its key is already recorded.
    ///
    /// @return whether this call recorded it (the caller should then send the notification)
    boolean tryClaim(AlertClaim claim);

    /// Removes a claim whose delivery failed, so a later run tries again.
    void release(String key);

    /// Every claim whose subject and channel have no [AlertKind#RESOLVED] claim yet: the alerts still open.
    List<AlertClaim> openClaims();
}
