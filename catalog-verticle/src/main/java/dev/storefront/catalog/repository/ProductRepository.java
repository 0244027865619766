package dev.storefront.catalog.repository;

import dev.storefront.catalog.model.Page;
import dev.storefront.catalog.model.Product;
import dev.storefront.catalog.model.ProductInput;
import dev.storefront.catalog.model.ProductQuery;
import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntPredicate;

/** Products in the {@code catalog} schema. */
public class ProductRepository {

  /** The text-search configuration of the indexed column (migration V2); queries must match it. */
  static final String SEARCH_CONFIG = "english";

  private static final String COLUMNS =
      "p.id, p.sku, p.name, p.description, c.slug AS category, p.price_minor, p.currency,"
          + " p.stock, p.version, p.updated_at";
  private static final String FROM = " FROM products p JOIN categories c ON c.id = p.category_id";
  // Rows a data-modifying CTE named p returns, with their category's slug.
  private static final String FROM_CTE = " FROM p JOIN categories c ON c.id = p.category_id";
  private static final String FIND_BY_ID = "SELECT " + COLUMNS + FROM + " WHERE p.id = $1";
  private static final String CREATE =
      "WITH p AS (INSERT INTO products"
          + " (id, sku, name, description, category_id, price_minor, currency, stock,"
          + " stock_received)"
          + " SELECT $1, $2, $3, $4, c.id, $6, $7, $8, $8 FROM categories c WHERE c.slug = $5"
          + " RETURNING *)"
          + " SELECT "
          + COLUMNS
          + FROM_CTE;
  private static final String LOCK = "SELECT version FROM products WHERE id = $1 FOR UPDATE";
  private static final String CATEGORY_ID = "SELECT id FROM categories WHERE slug = $1";
  private static final String UPDATE =
      "WITH p AS (UPDATE products SET sku = $2, name = $3, description = $4, category_id = $5,"
          + " price_minor = $6, currency = $7, stock = $8,"
          // An admin's new stock is an adjustment of what was ever put on sale (the old stock
          // here is the value before this update).
          + " stock_received = stock_received + ($8 - stock), version = version + 1,"
          + " updated_at = now() WHERE id = $1 RETURNING *)"
          + " SELECT "
          + COLUMNS
          + FROM_CTE;
  private static final String HAS_ACTIVE_RESERVATION =
      "SELECT EXISTS (SELECT 1 FROM stock_reservation_items i"
          + " JOIN stock_reservations r ON r.order_id = i.order_id"
          + " WHERE i.product_id = $1 AND r.status = 'reserved') AS active";
  private static final String DELETE = "DELETE FROM products WHERE id = $1";

  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public ProductRepository(Pool pool) {
    this.pool = pool;
  }

  /** SQL and its parameters. */
  record Statement(String sql, Tuple params) {}

  public Future<Optional<Product>> findById(UUID id) {
    return pool.preparedQuery(FIND_BY_ID)
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toProduct(first(rows))));
  }

  /** A page and the total of the whole listing, read side by side. */
  public Future<Page> list(ProductQuery query) {
    Statement items = itemsStatement(query);
    Statement count = countStatement(query);
    Future<RowSet<Row>> page = pool.preparedQuery(items.sql()).execute(items.params());
    Future<RowSet<Row>> total = pool.preparedQuery(count.sql()).execute(count.params());
    return Future.all(page, total)
        .map(
            all -> {
              List<Product> products = new ArrayList<>();
              page.result().forEach(row -> products.add(toProduct(row)));
              return new Page(
                  products, query.page(), query.size(), first(total.result()).getLong("total"));
            });
  }

  /**
   * The statement of a page. Only the shape is chosen here, from fixed fragments; every value the
   * client sent is a parameter. Each shape is one prepared statement of its own, so PostgreSQL
   * plans a search, a category and a plain listing each for what it is.
   */
  static Statement itemsStatement(ProductQuery query) {
    List<Object> params = new ArrayList<>();
    String from = fromAndWhere(query, params);
    params.add(query.size());
    params.add(query.offset());
    String sql =
        "SELECT "
            + COLUMNS
            + from
            + " ORDER BY "
            + orderBy(query.sort())
            + " LIMIT $"
            + (params.size() - 1)
            + " OFFSET $"
            + params.size();
    return new Statement(sql, Tuple.from(params));
  }

  static Statement countStatement(ProductQuery query) {
    List<Object> params = new ArrayList<>();
    String from = fromAndWhere(query, params);
    return new Statement("SELECT count(*) AS total" + from, Tuple.from(params));
  }

  private static String fromAndWhere(ProductQuery query, List<Object> params) {
    StringBuilder sql = new StringBuilder(FROM);
    List<String> conditions = new ArrayList<>();
    query
        .q()
        .ifPresent(
            q -> {
              params.add(q);
              // websearch syntax: words, "quoted phrases", -excluded, or; never a syntax error.
              sql.append(", websearch_to_tsquery('")
                  .append(SEARCH_CONFIG)
                  .append("', $")
                  .append(params.size())
                  .append(") AS query");
              conditions.add("p.search @@ query");
            });
    query
        .category()
        .ifPresent(
            slug -> {
              params.add(slug);
              conditions.add("c.slug = $" + params.size());
            });
    if (!conditions.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
    return sql.toString();
  }

  /** A total order in each case: the id breaks every tie. */
  static String orderBy(ProductQuery.Sort sort) {
    return switch (sort) {
      case NAME -> "p.name, p.id";
      case PRICE -> "p.price_minor, p.id";
      // Both keys descending, so the (price_minor, id) index serves it read backwards.
      case PRICE_DESC -> "p.price_minor DESC, p.id DESC";
      case RANK -> "ts_rank_cd(p.search, query) DESC, p.name, p.id";
    };
  }

  /** Creates the product; 422 for an unknown category, 409 for a SKU in use. */
  public Future<Product> create(UUID id, ProductInput input) {
    return pool.preparedQuery(CREATE)
        .execute(
            Tuple.of(
                id,
                input.sku(),
                input.name(),
                input.description(),
                input.category(),
                input.priceMinor(),
                input.currency(),
                input.stock()))
        .recover(e -> Future.failedFuture(translate(e, input)))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(unknownCategory(input.category()))
                    : Future.succeededFuture(toProduct(first(rows))));
  }

  /**
   * Replaces the product when {@code versionMatches} accepts its current version: 404 when there is
   * none, 412 when it changed, 422 for an unknown category, 409 for a SKU in use.
   */
  public Future<Product> update(UUID id, IntPredicate versionMatches, ProductInput input) {
    return pool.withTransaction(
            conn ->
                lock(conn, id, versionMatches)
                    .compose(v -> categoryId(conn, input.category()))
                    .compose(
                        categoryId ->
                            conn.preparedQuery(UPDATE)
                                .execute(
                                    Tuple.of(
                                        id,
                                        input.sku(),
                                        input.name(),
                                        input.description(),
                                        categoryId,
                                        input.priceMinor(),
                                        input.currency(),
                                        input.stock()))))
        .recover(e -> Future.failedFuture(translate(e, input)))
        .map(rows -> toProduct(first(rows)));
  }

  /** Deletes the product: 404, 412 as for update, 409 while stock of it is reserved. */
  public Future<Void> delete(UUID id, IntPredicate versionMatches) {
    return pool.withTransaction(
        conn ->
            lock(conn, id, versionMatches)
                .compose(v -> conn.preparedQuery(HAS_ACTIVE_RESERVATION).execute(Tuple.of(id)))
                .compose(
                    rows ->
                        first(rows).getBoolean("active")
                            ? Future.failedFuture(
                                new ProblemException(
                                    409,
                                    Problems.type("product-reserved"),
                                    Problems.reason(409),
                                    "Product "
                                        + id
                                        + " has stock reserved for an order; it can be deleted"
                                        + " once the reservation is committed or released"))
                            : conn.preparedQuery(DELETE).execute(Tuple.of(id)).<Void>mapEmpty()));
  }

  /** Locks the product's row for the rest of the transaction and checks its version. */
  private static Future<Integer> lock(SqlConnection conn, UUID id, IntPredicate versionMatches) {
    return conn.preparedQuery(LOCK)
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Problems.fail(404, "No product with id " + id);
              }
              int version = first(rows).getInteger("version");
              if (!versionMatches.test(version)) {
                return Future.failedFuture(
                    new ProblemException(
                        412,
                        "about:blank",
                        Problems.reason(412),
                        "Product "
                            + id
                            + " has changed: it is at version "
                            + version
                            + "; read it again and retry with its ETag",
                        new JsonObject().put("currentVersion", version)));
              }
              return Future.succeededFuture(version);
            });
  }

  private static Future<Long> categoryId(SqlConnection conn, String slug) {
    return conn.preparedQuery(CATEGORY_ID)
        .execute(Tuple.of(slug))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(unknownCategory(slug))
                    : Future.succeededFuture(first(rows).getLong("id")));
  }

  private static ProblemException unknownCategory(String slug) {
    return new ProblemException(
        422,
        Problems.type("unknown-category"),
        Problems.reason(422),
        "No category with slug '" + slug + "'; GET /api/categories lists them",
        new JsonObject().put("category", slug));
  }

  private static Throwable translate(Throwable e, ProductInput input) {
    if (e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      return new ProblemException(
          409,
          Problems.type("duplicate-sku"),
          Problems.reason(409),
          "Another product has SKU '" + input.sku() + "'",
          new JsonObject().put("sku", input.sku()));
    }
    return e;
  }

  static Row first(RowSet<Row> rows) {
    return rows.iterator().next();
  }

  static Product toProduct(Row row) {
    return new Product(
        row.getUUID("id"),
        row.getString("sku"),
        row.getString("name"),
        row.getString("description"),
        row.getString("category"),
        row.getLong("price_minor"),
        row.getString("currency"),
        row.getInteger("stock"),
        row.getInteger("version"),
        row.getOffsetDateTime("updated_at"));
  }
}
