/// Expiry alerting: one alert per certificate and threshold, escalations, resolution notices, silences,
/// a delivery log and an optional daily digest per owner, over webhook, Slack-compatible webhook and email.
///
/// Deduplication rests on [AlertStateStore#tryClaim]: a conditional insert of a unique key that succeeds for
/// exactly one caller, across restarts and server replicas.
@NullMarked
package io.certwright.inventory.alert;

import org.jspecify.annotations.NullMarked;
