package dev.storefront.catalog.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Writes a {@link DemoCatalog} into the catalog schema: multi-row inserts of a thousand rows from
 * arrays, in one transaction, skipping what exists already ({@code ON CONFLICT DO NOTHING}), so
 * seeding again changes nothing. The bulk load keeps its SQL here rather than in the repositories:
 * it is a tool's, not the service's, way of writing.
 */
public class DemoSeeder {

  /**
   * The transaction-scoped advisory lock every seeder takes first: processes starting together
   * queue behind the first, which seeds while the others wait, then find products and skip.
   */
  static final long LOCK_KEY = 0x5EED_CA7A_0000_0001L;

  static final int BATCH = 1_000;

  private static final String LOCK = "SELECT pg_advisory_xact_lock($1)";
  private static final String ANY_PRODUCT = "SELECT EXISTS (SELECT 1 FROM products) AS present";
  private static final String INSERT_CATEGORIES =
      "INSERT INTO categories (slug, name)"
          + " SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (slug) DO NOTHING";
  private static final String INSERT_PRODUCTS =
      "INSERT INTO products (id, sku, name, description, category_id, price_minor, currency,"
          + " stock, stock_received)"
          + " SELECT u.id, u.sku, u.name, u.description, c.id, u.price, u.currency, u.stock,"
          + " u.stock"
          + " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],"
          + " $6::bigint[], $7::text[], $8::int[])"
          + " AS u(id, sku, name, description, category, price, currency, stock)"
          + " JOIN categories c ON c.slug = u.category"
          + " ON CONFLICT DO NOTHING";

  private final Pool pool;

  public DemoSeeder(Pool pool) {
    this.pool = pool;
  }

  /** Seeds only when the catalog has no product at all; true when this call seeded. */
  public Future<Boolean> seedIfEmpty(DemoCatalog catalog) {
    return pool.withTransaction(
            conn ->
                lock(conn)
                    .compose(v -> conn.preparedQuery(ANY_PRODUCT).execute())
                    .compose(
                        rows ->
                            rows.iterator().next().getBoolean("present")
                                ? Future.succeededFuture(false)
                                : insert(conn, catalog).map(n -> true)))
        .compose(seeded -> seeded ? analyze().map(true) : Future.succeededFuture(false));
  }

  /** Adds whatever of the demo catalog is missing; the number of products inserted. */
  public Future<Integer> seed(DemoCatalog catalog) {
    return pool.withTransaction(conn -> lock(conn).compose(v -> insert(conn, catalog)))
        .compose(inserted -> inserted > 0 ? analyze().map(inserted) : Future.succeededFuture(0));
  }

  /**
   * Refreshes the planner's statistics at once: until autovacuum gets round to it, PostgreSQL plans
   * searches over thousands of new rows as if the table were nearly empty.
   */
  private Future<Void> analyze() {
    return pool.query("ANALYZE products").execute().mapEmpty();
  }

  private static Future<Void> lock(SqlConnection conn) {
    return conn.preparedQuery(LOCK).execute(Tuple.of(LOCK_KEY)).mapEmpty();
  }

  private static Future<Integer> insert(SqlConnection conn, DemoCatalog catalog) {
    List<DemoCatalog.Category> categories = catalog.categories();
    Future<Integer> chain =
        conn.preparedQuery(INSERT_CATEGORIES)
            .execute(
                Tuple.tuple()
                    .addArrayOfString(
                        categories.stream().map(DemoCatalog.Category::slug).toArray(String[]::new))
                    .addArrayOfString(
                        categories.stream().map(DemoCatalog.Category::name).toArray(String[]::new)))
            .map(0);
    List<DemoCatalog.Product> products = catalog.products();
    for (int from = 0; from < products.size(); from += BATCH) {
      List<DemoCatalog.Product> batch =
          products.subList(from, Math.min(products.size(), from + BATCH));
      chain = chain.compose(inserted -> insertBatch(conn, batch).map(n -> inserted + n));
    }
    return chain;
  }

  private static Future<Integer> insertBatch(SqlConnection conn, List<DemoCatalog.Product> batch) {
    Tuple arrays =
        Tuple.tuple()
            .addArrayOfUUID(
                batch.stream().map(DemoCatalog.Product::id).toArray(java.util.UUID[]::new))
            .addArrayOfString(batch.stream().map(DemoCatalog.Product::sku).toArray(String[]::new))
            .addArrayOfString(batch.stream().map(DemoCatalog.Product::name).toArray(String[]::new))
            .addArrayOfString(
                batch.stream().map(DemoCatalog.Product::description).toArray(String[]::new))
            .addArrayOfString(
                batch.stream().map(DemoCatalog.Product::category).toArray(String[]::new))
            .addArrayOfLong(
                batch.stream().map(DemoCatalog.Product::priceMinor).toArray(Long[]::new))
            .addArrayOfString(
                batch.stream().map(DemoCatalog.Product::currency).toArray(String[]::new))
            .addArrayOfInteger(
                batch.stream().map(DemoCatalog.Product::stock).toArray(Integer[]::new));
    return conn.preparedQuery(INSERT_PRODUCTS).execute(arrays).map(rows -> rows.rowCount());
  }
}
