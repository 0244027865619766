package dev.storefront.catalog.repository;

import dev.storefront.catalog.model.Category;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/** Categories in the {@code catalog} schema. */
public class CategoryRepository {

  private static final String ALL = "SELECT slug, name FROM categories ORDER BY name, slug";

  private final Pool pool;

  public CategoryRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Category>> all() {
    return pool.preparedQuery(ALL)
        .execute()
        .map(
            rows -> {
              List<Category> categories = new ArrayList<>();
              rows.forEach(
                  r -> categories.add(new Category(r.getString("slug"), r.getString("name"))));
              return categories;
            });
  }
}
