package dev.storefront.payment.repository;

import dev.storefront.payment.model.PaymentToken;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;

/** Payment tokens and their sealed cards, in {@code payment_tokens}. */
public class TokenRepository {

  private static final String COLUMNS =
      "id, account_id, brand, last4, exp_month, exp_year, key_id, card_sealed, created_at,"
          + " expires_at";
  private static final String INSERT =
      "INSERT INTO payment_tokens (id, account_id, brand, last4, exp_month, exp_year, key_id,"
          + " card_sealed, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
  private static final String FIND = "SELECT " + COLUMNS + " FROM payment_tokens WHERE id = $1";
  private static final String PURGE =
      "DELETE FROM payment_tokens WHERE id IN (SELECT id FROM payment_tokens"
          + " WHERE expires_at < now() - make_interval(secs => $1) LIMIT $2)";

  /**
   * A token with what it takes to charge its card: the sealed number and the key that sealed it.
   */
  public record Stored(PaymentToken token, String keyId, byte[] sealedCard) {}

  private final Pool pool;

  public TokenRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> insert(PaymentToken token, String keyId, byte[] sealedCard) {
    return pool.preparedQuery(INSERT)
        .execute(
            Tuple.of(
                    token.id(),
                    token.accountId(),
                    token.brand(),
                    token.last4(),
                    (short) token.expMonth(),
                    (short) token.expYear(),
                    keyId,
                    Buffer.buffer(sealedCard))
                .addOffsetDateTime(token.createdAt().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(token.expiresAt().atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  public Future<Optional<Stored>> find(String id) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(stored(rows.iterator().next())));
  }

  /**
   * Deletes up to {@code limit} tokens expired more than {@code retention} ago; answers how many.
   */
  public Future<Integer> purgeExpired(Duration retention, int limit) {
    return pool.preparedQuery(PURGE)
        .execute(Tuple.of(retention.toMillis() / 1000.0, limit))
        .map(rows -> rows.rowCount());
  }

  private static Stored stored(Row r) {
    PaymentToken token =
        new PaymentToken(
            r.getString("id"),
            r.getString("account_id"),
            r.getString("brand"),
            r.getString("last4"),
            r.getShort("exp_month"),
            r.getShort("exp_year"),
            r.getOffsetDateTime("created_at").toInstant(),
            r.getOffsetDateTime("expires_at").toInstant());
    return new Stored(token, r.getString("key_id"), r.getBuffer("card_sealed").getBytes());
  }
}
