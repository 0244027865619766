package dev.storefront.gateway.identity;

import dev.storefront.common.http.Problems;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accounts in schema {@code identity}; e-mail addresses are unique whatever their case. */
public final class AccountRepository {

  private static final String UNIQUE_VIOLATION = "23505";

  private static final String INSERT =
      "INSERT INTO accounts (id, email, password_hash, roles) VALUES ($1, $2, $3, $4)";
  private static final String BY_EMAIL =
      "SELECT id, email, password_hash, roles FROM accounts WHERE lower(email) = lower($1)";

  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  /** Stores a new account; fails with a 409 problem when the e-mail address is taken. */
  public Future<Account> create(String email, String passwordHash, List<String> roles) {
    Account account = new Account(UUID.randomUUID(), email, List.copyOf(roles), passwordHash);
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(INSERT)
                    .execute(
                        Tuple.of(
                            account.id(),
                            account.email(),
                            account.passwordHash(),
                            roles.toArray(String[]::new))))
        .map(rows -> account)
        .recover(
            e ->
                e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                    ? Problems.fail(409, "An account with this e-mail address exists already")
                    : Future.failedFuture(e));
  }

  /** The account of {@code email}, compared without regard to case. */
  public Future<Optional<Account>> findByEmail(String email) {
    return pool.preparedQuery(BY_EMAIL).execute(Tuple.of(email)).map(AccountRepository::first);
  }

  private static Optional<Account> first(RowSet<Row> rows) {
    var it = rows.iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    Row row = it.next();
    return Optional.of(
        new Account(
            row.getUUID("id"),
            row.getString("email"),
            Arrays.asList(row.getArrayOfStrings("roles")),
            row.getString("password_hash")));
  }
}
