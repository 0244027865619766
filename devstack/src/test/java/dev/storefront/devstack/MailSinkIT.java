package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailSinkIT {

  @TempDir Path dir;

  @Test
  void filesEveryMessageForEveryRecipientWithoutAuthentication() throws Exception {
    try (MailSink sink = MailSink.start(0, dir)) {
      send(sink.port(), "Order confirmed", "ada@example.com", "bob@example.com");
      send(sink.port(), "Payment failed", "carl@example.com");

      assertThat(sink.received()).isEqualTo(3);
      assertThat(Files.readString(dir.resolve("000001.eml")))
          .contains("Subject: Order confirmed")
          .contains("Hello from the test");
      assertThat(Files.readString(dir.resolve("000003.eml"))).contains("Subject: Payment failed");
    }
  }

  @Test
  void numbersOnAfterTheMessagesOfAnEarlierRun() throws Exception {
    try (MailSink sink = MailSink.start(0, dir)) {
      send(sink.port(), "First", "ada@example.com");
    }
    try (MailSink sink = MailSink.start(0, dir)) {
      send(sink.port(), "Second", "ada@example.com");
      assertThat(sink.received()).isEqualTo(2);
    }
    assertThat(Files.readString(dir.resolve("000001.eml"))).contains("Subject: First");
    assertThat(Files.readString(dir.resolve("000002.eml"))).contains("Subject: Second");
  }

  private static void send(int port, String subject, String... recipients) throws Exception {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", "127.0.0.1");
    properties.put("mail.smtp.port", Integer.toString(port));
    Session session = Session.getInstance(properties);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("no-reply@storefront.local"));
    for (String recipient : recipients) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
    }
    message.setSubject(subject);
    message.setText("Hello from the test");
    Transport.send(message);
  }
}
