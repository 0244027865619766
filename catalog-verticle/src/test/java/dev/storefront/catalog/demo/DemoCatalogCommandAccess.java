package dev.storefront.catalog.demo;

import dev.storefront.common.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The command's work without its process exit, for tests in other packages. */
public final class DemoCatalogCommandAccess {

  private DemoCatalogCommandAccess() {}

  public static Future<Integer> run(Vertx vertx, DatabaseConfig db, int products) {
    return DemoCatalogCommand.run(vertx, db, products);
  }
}
