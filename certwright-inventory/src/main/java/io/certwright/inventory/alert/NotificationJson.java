package io.certwright.inventory.alert;

import io.certwright.inventory.text.JsonWriter;

/// The JSON body of webhook notifications.
///
/// ```json
/// {"id":"…","kind":"expiring","severity":"warning","escalation":false,"owner":"payments",
///  "title":"…","text":"…","createdAt":"2030-01-01T00:00:00Z",
///  "certificates":[{"fingerprint":"…","subject":"api.example.com","status":"expiring",
///    "notAfter":"2030-01-10T00:00:00Z","thresholdSeconds":1209600,"places":["api.example.com:443"]}]}
/// ```
final class NotificationJson {

    private NotificationJson() {
    }

    static String of(Notification n) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("id").value(n.id())
                .name("kind").value(n.kind().wireName())
                .name("severity").value(n.severity().wireName())
                .name("escalation").value(n.escalation());
        w.name("owner");
        if (n.owner().isPresent()) {
            w.value(n.owner().get());
        } else {
            w.nullValue();
        }
        w.name("title").value(n.title())
                .name("text").value(n.text())
                .name("createdAt").value(n.createdAt().toString())
                .name("certificates").beginArray();
        for (Notification.Item item : n.certificates()) {
            w.beginObject()
                    .name("fingerprint").value(item.fingerprint().hex())
                    .name("subject").value(item.subject())
                    .name("status").value(item.status())
                    .name("notAfter").value(item.notAfter().toString());
            w.name("thresholdSeconds");
            if (item.threshold().isPresent()) {
                w.value(item.threshold().get().toSeconds());
            } else {
                w.nullValue();
            }
            w.name("places").beginArray();
            item.places().forEach(w::value);
            w.endArray().endObject();
        }
        return w.endArray().endObject().toString();
    }

    static String slack(Notification n) {
        return new JsonWriter().beginObject().name("text").value(n.text()).endObject().toString();
    }
}
