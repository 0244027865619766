package dev.storefront.notification.repository;

import dev.storefront.notification.model.Webhook;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The accounts' webhooks, in {@code webhooks}. */
public class WebhookRepository {

  private static final String COLUMNS =
      "id, account_id, url, description, secret, active, disabled_reason, created_at";

  // Serialises the creations of one account, so that two at once cannot both pass the limit.
  static final String LOCK_ACCOUNT = "SELECT pg_advisory_xact_lock(hashtext('webhooks:' || $1))";
  static final String COUNT = "SELECT count(*) FROM webhooks WHERE account_id = $1";
  static final String INSERT =
      "INSERT INTO webhooks (id, account_id, url, description, secret) VALUES ($1, $2, $3, $4, $5)"
          + " RETURNING "
          + COLUMNS;
  static final String LIST =
      "SELECT " + COLUMNS + " FROM webhooks WHERE account_id = $1 ORDER BY created_at, id";
  static final String FIND = "SELECT " + COLUMNS + " FROM webhooks WHERE id = $1";
  static final String FIND_OWNED =
      "SELECT " + COLUMNS + " FROM webhooks WHERE id = $1 AND account_id = $2";
  static final String DELETE = "DELETE FROM webhooks WHERE id = $1 AND account_id = $2";
  static final String ACTIVE_IDS =
      "SELECT id FROM webhooks WHERE account_id = $1 AND active ORDER BY created_at, id";
  static final String DEACTIVATE =
      "UPDATE webhooks SET active = false, disabled_reason = $2 WHERE id = $1 AND active";

  private final Pool pool;

  public WebhookRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Creates a webhook unless its account has {@code limit} already; empty when it has. The secret
   * is the caller's to generate.
   */
  public Future<Optional<Webhook>> create(
      String accountId, String url, String description, String secret, int limit) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(LOCK_ACCOUNT)
                .execute(Tuple.of(accountId))
                .compose(locked -> tx.preparedQuery(COUNT).execute(Tuple.of(accountId)))
                .compose(
                    counted -> {
                      long existing = counted.iterator().next().getLong(0);
                      if (existing >= limit) {
                        return Future.succeededFuture(Optional.<Webhook>empty());
                      }
                      return tx.preparedQuery(INSERT)
                          .execute(Tuple.of(UUID.randomUUID(), accountId, url, description, secret))
                          .map(rows -> Optional.of(toWebhook(rows.iterator().next())));
                    }));
  }

  public Future<List<Webhook>> list(String accountId) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(accountId))
        .map(
            rows -> {
              List<Webhook> webhooks = new ArrayList<>();
              rows.forEach(row -> webhooks.add(toWebhook(row)));
              return webhooks;
            });
  }

  /** Any account's webhook, for sending to it. */
  public Future<Optional<Webhook>> find(UUID id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(WebhookRepository::first);
  }

  /** The webhook if it is {@code accountId}'s; someone else's is as absent as a missing one. */
  public Future<Optional<Webhook>> findOwned(UUID id, String accountId) {
    return pool.preparedQuery(FIND_OWNED)
        .execute(Tuple.of(id, accountId))
        .map(WebhookRepository::first);
  }

  /** True when the webhook was {@code accountId}'s and is gone now. */
  public Future<Boolean> delete(UUID id, String accountId) {
    return pool.preparedQuery(DELETE)
        .execute(Tuple.of(id, accountId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * The active webhooks of {@code accountId}, read in {@code client} (the consumer's transaction).
   */
  public Future<List<UUID>> activeIds(SqlClient client, String accountId) {
    return client
        .preparedQuery(ACTIVE_IDS)
        .execute(Tuple.of(accountId))
        .map(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getUUID("id")));
              return ids;
            });
  }

  /** Stops sending to the webhook, keeping {@code reason} for its owner to read. */
  public Future<Void> deactivate(UUID id, String reason) {
    return pool.preparedQuery(DEACTIVATE).execute(Tuple.of(id, reason)).mapEmpty();
  }

  private static Optional<Webhook> first(io.vertx.sqlclient.RowSet<Row> rows) {
    return rows.rowCount() == 0 ? Optional.empty() : Optional.of(toWebhook(rows.iterator().next()));
  }

  private static Webhook toWebhook(Row row) {
    return new Webhook(
        row.getUUID("id"),
        row.getString("account_id"),
        row.getString("url"),
        row.getString("description"),
        row.getString("secret"),
        row.getBoolean("active"),
        row.getString("disabled_reason"),
        row.getOffsetDateTime("created_at"));
  }
}
