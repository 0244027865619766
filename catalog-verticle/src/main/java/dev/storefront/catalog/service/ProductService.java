package dev.storefront.catalog.service;

import dev.storefront.catalog.cache.ProductCache;
import dev.storefront.catalog.events.ProductChanges;
import dev.storefront.catalog.model.Category;
import dev.storefront.catalog.model.Page;
import dev.storefront.catalog.model.Product;
import dev.storefront.catalog.model.ProductInput;
import dev.storefront.catalog.model.ProductQuery;
import dev.storefront.catalog.repository.CategoryRepository;
import dev.storefront.catalog.repository.ProductRepository;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntPredicate;

/** Products: reads by id through the cache, every write followed by an invalidation. */
public class ProductService {

  private final ProductRepository products;
  private final CategoryRepository categories;
  private final ProductCache cache;
  private final ProductChanges changes;

  public ProductService(
      ProductRepository products,
      CategoryRepository categories,
      ProductCache cache,
      ProductChanges changes) {
    this.products = products;
    this.categories = categories;
    this.cache = cache;
    this.changes = changes;
  }

  public Future<Optional<Product>> find(UUID id) {
    Product cached = cache.get(id);
    if (cached != null) {
      return Future.succeededFuture(Optional.of(cached));
    }
    long stamp = cache.stamp(id);
    return products
        .findById(id)
        .onSuccess(found -> found.ifPresent(product -> cache.putIfFresh(product, stamp)));
  }

  public Future<Page> list(ProductQuery query) {
    return products.list(query);
  }

  public Future<List<Category>> categories() {
    return categories.all();
  }

  public Future<Product> create(ProductInput input) {
    // No invalidation: no process can hold an id that did not exist.
    return products.create(UUID.randomUUID(), input);
  }

  public Future<Product> update(UUID id, IntPredicate versionMatches, ProductInput input) {
    return products
        .update(id, versionMatches, input)
        .onSuccess(updated -> changes.changed(List.of(id)));
  }

  public Future<Void> delete(UUID id, IntPredicate versionMatches) {
    return products.delete(id, versionMatches).onSuccess(v -> changes.changed(List.of(id)));
  }
}
