package dev.storefront.notification;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.storefront.common.config.Env;
import dev.storefront.common.config.KafkaConfig;
import dev.storefront.common.messaging.KafkaClients;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import dev.storefront.devstack.KafkaBroker;
import dev.storefront.devstack.ThrowawayDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the notification ITs run against: a throwaway database on the local PostgreSQL, a Kafka
 * broker started from Kafka's jars (unless a test needs none), an SMTP server (GreenMail), and
 * helpers to publish events, call the API as an account, read the mails and query the schema.
 */
final class TestSystem implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  final ThrowawayDatabase db;
  final KafkaBroker broker;
  final Vertx vertx;
  final InternalTokens.Issuer issuer;
  final WebClient web;
  private final EcKeys.SigningKey key;
  private final KafkaProducer<String, String> producer;
  private GreenMail smtp;
  private int smtpPort;

  private TestSystem(String label, Path kafkaDir) throws Exception {
    db = ThrowawayDatabase.create(label);
    try {
      broker = kafkaDir == null ? null : KafkaBroker.start(kafkaDir, 0, 0);
      vertx = Vertx.vertx();
      key = EcKeys.generate();
      issuer = new InternalTokens.Issuer(vertx, key);
      web = WebClient.create(vertx);
      smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
      smtp.start();
      smtpPort = smtp.getSmtp().getPort();
      if (broker != null) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        producer =
            KafkaClients.producer(
                vertx, new KafkaConfig(broker.bootstrapServers(), "it-" + suffix, "it-" + suffix));
      } else {
        producer = null;
      }
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Everything, a broker included. */
  static TestSystem start(String label, Path kafkaDir) throws Exception {
    return new TestSystem(label, kafkaDir);
  }

  /** Without a broker: for what needs only HTTP and the database. */
  static TestSystem withoutBroker(String label) throws Exception {
    return new TestSystem(label, null);
  }

  /**
   * The environment of a notification process using this system, with fast retries; {@code
   * overrides} on top.
   */
  Map<String, String> env(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(db.env());
    env.put("HTTP_PORT", "0");
    env.put("VERTICLE_INSTANCES", "1");
    env.put("PG_POOL_SIZE", "4");
    env.put(InternalTokens.PUBLIC_KEY_ENV, key.publicPem());
    // Nothing listens on port 1: a system without a broker has the service wait for one.
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker == null ? "127.0.0.1:1" : broker.bootstrapServers());
    env.put("EVENTS_RETRY_BASE_MS", "50");
    env.put("EVENTS_RETRY_CAP_MS", "200");
    env.put("MAIL_HOST", "127.0.0.1");
    env.put("MAIL_PORT", Integer.toString(smtpPort));
    // MAIL_STARTTLS stays OPTIONAL, the default: GreenMail offers no STARTTLS.
    env.put("MAIL_TIMEOUT_MS", "5000");
    env.put("MAIL_RETRY_BASE_MS", "50");
    env.put("MAIL_RETRY_MAX_MS", "200");
    env.put("WEBHOOK_TIMEOUT_MS", "3000");
    env.put("WEBHOOK_RETRY_BASE_MS", "50");
    env.put("WEBHOOK_RETRY_MAX_MS", "200");
    env.put("DELIVERY_POLL_MS", "50");
    env.put("DELIVERY_LEASE_MS", "10000");
    env.putAll(overrides);
    return env;
  }

  /** Deploys a notification verticle on this system's Vert.x and waits until it listens. */
  NotificationVerticle deploy(Map<String, String> env, MeterRegistry registry) {
    NotificationVerticle verticle = new NotificationVerticle(Env.of(env), registry);
    await(vertx.deployVerticle(verticle));
    return verticle;
  }

  /** Waits until {@code verticle} reports ready: it consumes, so the topics exist. */
  void awaitReady(NotificationVerticle verticle) {
    waitUntil(
        () -> {
          try {
            return await(web.get(verticle.managementPort(), "127.0.0.1", "/health/ready").send())
                    .statusCode()
                == 200;
          } catch (RuntimeException e) {
            return false;
          }
        },
        "the notification service to be ready");
  }

  // --- events ----------------------------------------------------------------------------------

  void publish(String topic, String key, String value) {
    await(producer.send(KafkaProducerRecord.create(topic, key, value)));
  }

  /** Publishes an event built by {@link Events}, on its topic, keyed by its order. */
  void publish(JsonObject event) {
    publish(Events.topicOf(event), event.getString("orderId"), event.encode());
  }

  // --- mail ------------------------------------------------------------------------------------

  int smtpPort() {
    return smtpPort;
  }

  void stopSmtp() {
    smtp.stop();
  }

  /** Starts an SMTP server again on the port the service was configured with. */
  void restartSmtp() {
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
  }

  /** The messages received for {@code address}, in arrival order. */
  List<MimeMessage> mailsTo(String address) {
    List<MimeMessage> found = new ArrayList<>();
    try {
      for (MimeMessage message : smtp.getReceivedMessages()) {
        Address[] recipients = message.getAllRecipients();
        if (recipients == null) {
          continue;
        }
        for (Address recipient : recipients) {
          if (recipient.toString().contains(address)) {
            found.add(message);
            break;
          }
        }
      }
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  MimeMessage awaitMail(String address) {
    waitUntil(() -> !mailsTo(address).isEmpty(), "a mail to " + address);
    return mailsTo(address).get(0);
  }

  // --- HTTP ------------------------------------------------------------------------------------

  static Caller customer(String accountId) {
    return new Caller(accountId, accountId + "@example.com", java.util.Set.of(Caller.CUSTOMER));
  }

  HttpResponse<Buffer> call(
      NotificationVerticle verticle, HttpMethod method, String path, Caller caller, Object body) {
    HttpRequest<Buffer> request = web.request(method, verticle.port(), "127.0.0.1", path);
    if (caller != null) {
      request.putHeader(InternalTokens.HEADER, issuer.issue(caller));
    }
    if (body == null) {
      return await(request.send());
    }
    request.putHeader("Content-Type", "application/json");
    String text = body instanceof JsonObject json ? json.encode() : body.toString();
    return await(request.sendBuffer(Buffer.buffer(text)));
  }

  // --- database --------------------------------------------------------------------------------

  List<Map<String, Object>> rows(String query) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO notifications");
      ResultSet rs = s.executeQuery(query);
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long queryLong(String query) {
    List<Map<String, Object>> rows = rows(query);
    return ((Number) rows.get(0).values().iterator().next()).longValue();
  }

  void sql(String statement) {
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO notifications");
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The delivery rows of one event, by channel and destination. */
  List<Map<String, Object>> deliveriesOf(String eventId) {
    return rows(
        "SELECT * FROM deliveries WHERE event_id = '"
            + eventId
            + "' ORDER BY channel, destination");
  }

  /** The event's delivery on {@code channel} (not a webhook), or an empty map before it exists. */
  Map<String, Object> deliveryIfAny(String eventId, String channel) {
    List<Map<String, Object>> rows =
        rows(
            "SELECT * FROM deliveries WHERE event_id = '"
                + eventId
                + "' AND channel = '"
                + channel
                + "'");
    return rows.isEmpty() ? Map.of() : delivery(eventId, channel);
  }

  Map<String, Object> delivery(String eventId, String channel) {
    List<Map<String, Object>> rows =
        rows(
            "SELECT * FROM deliveries WHERE event_id = '"
                + eventId
                + "' AND channel = '"
                + channel
                + "'");
    if (rows.size() != 1) {
      throw new AssertionError(rows.size() + " " + channel + " deliveries of event " + eventId);
    }
    return rows.get(0);
  }

  // --- waiting ---------------------------------------------------------------------------------

  static void waitUntil(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      sleep(50);
    }
  }

  /** Time for anything that should not happen to show up, had it happened. */
  static void settle() {
    sleep(1_500);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  @Override
  public void close() {
    try {
      if (vertx != null) {
        List<Future<?>> closing = new ArrayList<>();
        if (producer != null) {
          closing.add(producer.close());
        }
        try {
          await(Future.join(closing));
        } finally {
          await(vertx.close());
        }
      }
    } finally {
      if (smtp != null) {
        smtp.stop();
      }
      if (broker != null) {
        broker.close();
      }
      db.close();
    }
  }
}
