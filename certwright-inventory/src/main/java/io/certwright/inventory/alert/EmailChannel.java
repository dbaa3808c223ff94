package io.certwright.inventory.alert;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/// Email over SMTP with Jakarta Mail (Eclipse Angus): plain text, one message to all recipients, with
/// STARTTLS or implicit TLS and authentication as [SmtpSettings] say. The server's certificate and host name are
/// always checked when TLS is used.
public final class EmailChannel implements AlertChannel {

    private final String name;
    private final SmtpSettings smtp;
    private final InternetAddress from;
    private final InternetAddress[] recipients;
    private final Session session;

    /// An email channel sending to `recipients`.
    ///
    /// @throws IllegalArgumentException if an address is malformed or there is no recipient
    public EmailChannel(String name, SmtpSettings smtp, List<String> recipients) {
        this.name = Objects.requireNonNull(name, "name");
        this.smtp = Objects.requireNonNull(smtp, "smtp");
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("email channel '" + name + "' has no recipient");
        }
        try {
            this.from = new InternetAddress(smtp.from(), true);
            this.recipients = new InternetAddress[recipients.size()];
            for (int i = 0; i < recipients.size(); i++) {
                this.recipients[i] = new InternetAddress(recipients.get(i), true);
            }
        } catch (AddressException e) {
            throw new IllegalArgumentException("invalid email address in channel '" + name + "'", e);
        }
        this.session = Session.getInstance(properties(smtp), authenticator(smtp));
    }

    private static Properties properties(SmtpSettings s) {
        String protocol = s.security() == SmtpSettings.Security.TLS ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put(p + "host", s.host());
        props.put(p + "port", Integer.toString(s.port()));
        String millis = Long.toString(s.timeout().toMillis());
        props.put(p + "connectiontimeout", millis);
        props.put(p + "timeout", millis);
        props.put(p + "writetimeout", millis);
        props.put(p + "auth", Boolean.toString(s.username().isPresent()));
        switch (s.security()) {
            case NONE -> { }
            case STARTTLS -> {
                props.put(p + "starttls.enable", "true");
                props.put(p + "starttls.required", "true");
                props.put(p + "ssl.checkserveridentity", "true");
                s.sslSocketFactory().ifPresent(f -> props.put(p + "ssl.socketFactory", f));
            }
            case TLS -> {
                props.put(p + "ssl.enable", "true");
                props.put(p + "ssl.checkserveridentity", "true");
                s.sslSocketFactory().ifPresent(f -> props.put(p + "ssl.socketFactory", f));
            }
        }
        return props;
    }

    private static Authenticator authenticator(SmtpSettings s) {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(s.username().orElse(""),
                        s.password().map(Secret::revealText).orElse(""));
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public String target() {
        StringBuilder b = new StringBuilder();
        for (InternetAddress a : recipients) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(a.getAddress());
        }
        return b.toString();
    }

    @Override
    public Attempt send(Notification notification) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipients(Message.RecipientType.TO, recipients);
            message.setSubject("[Certwright] " + notification.title(), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(notification.createdAt()));
            message.setHeader("X-Certwright-Notification", notification.id());
            message.setText(notification.text() + "\n", StandardCharsets.UTF_8.name());
            String protocol = smtp.security() == SmtpSettings.Security.TLS ? "smtps" : "smtp";
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect();
                transport.sendMessage(message, message.getAllRecipients());
            }
            return new Sent();
        } catch (AuthenticationFailedException e) {
            return new PermanentFailure("SMTP authentication failed");
        } catch (SendFailedException e) {
            Address[] invalid = e.getInvalidAddresses();
            return invalid != null && invalid.length > 0
                    ? new PermanentFailure("SMTP server refused " + invalid.length + " recipient(s)")
                    : new RetryableFailure("SMTP send failed: " + oneLine(e));
        } catch (MessagingException e) {
            return new RetryableFailure("SMTP error: " + oneLine(e));
        } catch (RuntimeException e) {
            return new RetryableFailure("SMTP error: " + e.getClass().getSimpleName());
        }
    }

    // The exception class and the cause's class; server replies may echo what was sent, so no message text.
    private static String oneLine(Exception e) {
        Throwable cause = e.getCause();
        return e.getClass().getSimpleName() + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
    }

    @Override
    public String toString() {
        return "EmailChannel[" + name + ", " + smtp + "]";
    }
}
