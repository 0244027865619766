package dev.storefront.devstack;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's mail server: an SMTP server on 127.0.0.1 that accepts every message for every
 * address, without authentication, and files each one as {@code NNNNNN.eml} in a directory, so that
 * what the notification service sends can be read with any mail reader or {@code cat}. Messages are
 * not kept in memory: a load test that sends thousands of mails costs disk, not heap.
 */
public final class MailSink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MailSink.class);

  private final GreenMail server;
  private final Path directory;
  private static final long PURGE_EVERY_S = 30;

  private final AtomicLong received = new AtomicLong();
  private final ScheduledExecutorService purger =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "mail-sink-purge");
            thread.setDaemon(true);
            return thread;
          });

  private MailSink(GreenMail server, Path directory, long alreadyFiled) {
    this.server = server;
    this.directory = directory;
    this.received.set(alreadyFiled);
  }

  /**
   * Starts an SMTP server on 127.0.0.1:{@code port} (0 picks a free one) filing into {@code dir}.
   */
  public static MailSink start(int port, Path dir) throws IOException {
    Path directory = dir.toAbsolutePath();
    Files.createDirectories(directory);
    long alreadyFiled;
    try (var files = Files.list(directory)) {
      alreadyFiled = files.filter(p -> p.toString().endsWith(".eml")).count();
    }
    GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    MailSink sink = new MailSink(server, directory, alreadyFiled);
    MessageDeliveryHandler store = server.getUserManager().getMessageDeliveryHandler();
    server
        .getUserManager()
        .setMessageDeliveryHandler(
            (message, recipient) -> {
              sink.file(message.getMessage(), recipient.getEmail());
              return store.handle(message, recipient);
            });
    server.start();
    // Filed on disk before they reach a mailbox: the mailboxes' copies can go.
    sink.purger.scheduleWithFixedDelay(
        sink::purgeMailboxes, PURGE_EVERY_S, PURGE_EVERY_S, TimeUnit.SECONDS);
    return sink;
  }

  public int port() {
    return server.getSmtp().getPort();
  }

  public Path directory() {
    return directory;
  }

  /** How many messages (one per recipient) have been filed, including earlier runs' files. */
  public long received() {
    return received.get();
  }

  private void file(MimeMessage message, String recipient) throws MessagingException {
    long number = received.incrementAndGet();
    Path file = directory.resolve(String.format("%06d.eml", number));
    try (OutputStream out = Files.newOutputStream(file)) {
      message.writeTo(out);
    } catch (IOException e) {
      throw new MessagingException("cannot file the message as " + file, e);
    }
    LOG.info(
        "mail {} for {} from {}: {}",
        file.getFileName(),
        recipient,
        addresses(message.getFrom()),
        message.getSubject());
  }

  private static String addresses(Address[] addresses) {
    return addresses == null
        ? "-"
        : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
  }

  private void purgeMailboxes() {
    try {
      server.purgeEmailFromAllMailboxes();
    } catch (Exception e) {
      LOG.warn("cannot purge the mailboxes: {}", e.toString());
    }
  }

  @Override
  public void close() {
    purger.shutdownNow();
    server.stop();
  }
}
