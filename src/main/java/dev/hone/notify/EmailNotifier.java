package dev.hone.notify;

import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Mail through an SMTP server (Angus Mail): plain, STARTTLS (required, not opportunistic) or SSL, with the
 * server's certificate and name checked; a login when a username is set. Each mail is multipart/alternative (text
 * and HTML), its subject the event's one-line message, its {@code Message-ID} made from the idempotency key so a
 * mail sent again after a crash is recognisably the same. Recipients: {@code notify.email.to}, and with
 * {@code author: true} the commit's author.
 */
final class EmailNotifier implements Notifier {

    private final ServerSpec.Smtp smtp;
    private final String from;
    private final List<String> to;
    private final boolean author;
    private final SSLSocketFactory tls;
    private final Duration connect;
    private final Duration read;

    /** {@code tls} null: the JVM's trusted certificates. */
    EmailNotifier(ServerSpec.Email server, Spec.Email recipients, SSLSocketFactory tls, Duration connect,
                  Duration read) {
        this.smtp = server.smtp();
        this.from = server.from();
        this.to = recipients.to() == null ? List.of() : List.copyOf(recipients.to());
        this.author = recipients.author();
        this.tls = tls;
        this.connect = connect;
        this.read = read;
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public String route() {
        return "email." + Redaction.fingerprint(smtp.host(), Integer.toString(smtp.port()), from,
                String.join(",", to), Boolean.toString(author));
    }

    @Override
    public boolean accepts(Event event) {
        return !recipients(event).isEmpty();
    }

    /** The {@code to} list, then the commit's author when asked for; each address once. */
    List<String> recipients(Event event) {
        Map<String, String> unique = new LinkedHashMap<>();
        to.forEach(address -> unique.putIfAbsent(address.strip().toLowerCase(Locale.ROOT), address.strip()));
        String authorEmail = event.origin().authorEmail();
        if (author && authorEmail != null && !authorEmail.isBlank() && !(event instanceof Event.TestMessage)) {
            unique.putIfAbsent(authorEmail.strip().toLowerCase(Locale.ROOT), authorEmail.strip());
        }
        return new ArrayList<>(unique.values());
    }

    @Override
    public String send(Notice notice) {
        List<String> recipients = recipients(notice.event());
        Session session = Session.getInstance(properties());
        try {
            MimeMessage message = message(session, notice, recipients);
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            throw failure(e);
        }
        return "sent to " + String.join(", ", recipients);
    }

    private MimeMessage message(Session session, Notice notice, List<String> recipients) throws MessagingException {
        InternetAddress sender = address(from);
        MimeMessage message = new KeyedMessage(session, "<" + notice.key() + "@" + domain(sender) + ">");
        message.setFrom(sender);
        List<InternetAddress> addresses = new ArrayList<>();
        for (String recipient : recipients) {
            addresses.add(address(recipient));
        }
        message.setRecipients(Message.RecipientType.TO, addresses.toArray(InternetAddress[]::new));
        message.setSubject(notice.event().message(), "UTF-8");
        message.setHeader("X-Hone-Event", notice.event().type());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(MailBody.text(notice), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(MailBody.html(notice), "UTF-8", "html");
        message.setContent(new MimeMultipart("alternative", text, html));
        message.saveChanges();
        return message;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", smtp.host());
        p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        p.setProperty("mail.smtp.connectiontimeout", Long.toString(connect.toMillis()));
        p.setProperty("mail.smtp.timeout", Long.toString(read.toMillis()));
        p.setProperty("mail.smtp.writetimeout", Long.toString(read.toMillis()));
        p.setProperty("mail.smtp.auth", Boolean.toString(smtp.username() != null));
        switch (smtp.security()) {
            case NONE -> { }
            case STARTTLS -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            case SSL -> {
                p.setProperty("mail.smtp.ssl.enable", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
        }
        if (tls != null) {
            p.put("mail.smtp.ssl.socketFactory", tls);
        }
        return p;
    }

    private DeliveryException failure(MessagingException e) {
        String server = "SMTP server " + smtp.host() + ":" + smtp.port();
        if (e instanceof AddressException bad) {
            return DeliveryException.permanent("invalid address \"" + bad.getRef() + "\": " + bad.getMessage(), e);
        }
        if (e instanceof AuthenticationFailedException) {
            return DeliveryException.permanent(server + " refused the login of " + smtp.username() + ": "
                    + oneLine(e.getMessage()) + "; check the SMTP username and password", e);
        }
        if (e instanceof SendFailedException refused && refused.getInvalidAddresses() != null
                && refused.getInvalidAddresses().length > 0) {
            return DeliveryException.permanent(server + " refused the address(es) "
                    + Arrays.stream(refused.getInvalidAddresses()).map(Object::toString)
                            .collect(Collectors.joining(", ")) + ": " + oneLine(e.getMessage()), e);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String reason = switch (cause) {
                case ConnectException c -> "cannot reach " + server + ": connection refused";
                case SocketTimeoutException t -> "no answer from " + server + " within " + read.toMillis() + " ms";
                case UnknownHostException u -> "unknown SMTP host " + smtp.host();
                case SSLException s -> "TLS failure with " + server + ": " + oneLine(s.getMessage());
                default -> null;
            };
            if (reason != null) {
                return DeliveryException.retryable(reason, e);
            }
        }
        return DeliveryException.retryable(server + ": " + oneLine(e.getMessage()), e);
    }

    private static InternetAddress address(String address) throws AddressException {
        InternetAddress parsed = new InternetAddress(address, true);
        parsed.validate();
        return parsed;
    }

    private static String domain(InternetAddress address) {
        String a = address.getAddress();
        int at = a.lastIndexOf('@');
        return at < 0 ? "hone.local" : a.substring(at + 1);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    /** A message whose Message-ID is ours, not one that saveChanges() makes up. */
    private static final class KeyedMessage extends MimeMessage {
        private final String id;

        KeyedMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
