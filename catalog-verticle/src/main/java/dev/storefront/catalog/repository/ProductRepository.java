package dev.storefront.catalog.repository;

import dev.storefront.catalog.model.Page;
import dev.storefront.catalog.model.Product;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/** Products in the {@code catalog} schema. */
public class ProductRepository {

  private static final String COLUMNS =
      "p.id, p.sku, p.name, p.description, c.slug AS category, p.price_minor, p.currency,"
          + " p.stock, p.version, p.updated_at";
  private static final String FIND_BY_ID =
      "SELECT "
          + COLUMNS
          + " FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = $1";
  // Ordered by name then id, so pages never overlap or skip when names repeat.
  private static final String LIST =
      "SELECT "
          + COLUMNS
          + ", count(*) OVER () AS total FROM products p JOIN categories c ON c.id = p.category_id"
          + " ORDER BY p.name, p.id LIMIT $1 OFFSET $2";
  private static final String COUNT = "SELECT count(*) AS total FROM products";

  private final Pool pool;

  public ProductRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Product>> findById(UUID id) {
    return pool.preparedQuery(FIND_BY_ID)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(toProduct(rows.iterator().next())));
  }

  public Future<Page> list(int page, int size) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(size, (long) (page - 1) * size))
        .compose(
            rows -> {
              var items = new java.util.ArrayList<Product>();
              long total = -1;
              for (Row row : rows) {
                items.add(toProduct(row));
                total = row.getLong("total");
              }
              if (total >= 0) {
                return Future.succeededFuture(new Page(items, page, size, total));
              }
              // Past the last page the window function has no row to report the total on.
              return pool.query(COUNT)
                  .execute()
                  .map(
                      count ->
                          new Page(items, page, size, count.iterator().next().getLong("total")));
            });
  }

  private static Product toProduct(Row row) {
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
