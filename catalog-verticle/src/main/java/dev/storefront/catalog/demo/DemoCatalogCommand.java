package dev.storefront.catalog.demo;

import dev.storefront.catalog.config.CatalogConfig;
import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.config.Env;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * Seeds the demo catalog from the command line, with the PostgreSQL settings the service uses
 * (PG_HOST, PG_PORT, PG_DATABASE, PG_USER, PG_PASSWORD, PG_SCHEMA):
 *
 * <pre>
 *   java -cp catalog-verticle/target/catalog-verticle.jar \
 *       dev.storefront.catalog.demo.DemoCatalogCommand [--products N]
 * </pre>
 *
 * <p>Migrates the schema first, then adds whatever of the first N demo products is missing (N from
 * CATALOG_DEMO_PRODUCTS, default 10000). Exit status 0 done, 1 failed, 2 bad arguments.
 */
public final class DemoCatalogCommand {

  private DemoCatalogCommand() {}

  public static void main(String[] args) {
    Env env = Env.system();
    int products;
    try {
      products = products(args, env);
    } catch (IllegalArgumentException | ConfigException e) {
      System.err.println("demo catalog: " + e.getMessage());
      System.err.println("usage: DemoCatalogCommand [--products N]");
      System.exit(2);
      return;
    }
    DatabaseConfig service = DatabaseConfig.from(env, CatalogConfig.SERVICE);
    // One transaction does all the work: one connection is enough.
    DatabaseConfig db =
        new DatabaseConfig(
            service.host(),
            service.port(),
            service.database(),
            service.user(),
            service.password(),
            service.schema(),
            1);
    Vertx vertx = Vertx.vertx();
    int status = 0;
    try {
      long started = System.nanoTime();
      int inserted =
          run(vertx, db, products)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.MINUTES);
      System.out.printf(
          "Demo catalog: %d of %d products were missing and are now in %s (%d ms)%n",
          inserted, products, db, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("demo catalog: seeding failed: " + cause.getMessage());
      status = 1;
    } finally {
      vertx.close();
    }
    System.exit(status);
  }

  static Future<Integer> run(Vertx vertx, DatabaseConfig db, int products) {
    return Migrations.migrate(vertx, db)
        .compose(
            migrated -> {
              Pool pool = Database.pool(vertx, db, 1);
              return vertx
                  .executeBlocking(() -> DemoCatalog.generate(products))
                  .compose(catalog -> new DemoSeeder(pool).seed(catalog))
                  .eventually(pool::close);
            });
  }

  static int products(String[] args, Env env) {
    int products = env.positive("CATALOG_DEMO_PRODUCTS", CatalogConfig.DEFAULT_DEMO_PRODUCTS);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value;
      if (arg.equals("--products") && i + 1 < args.length) {
        value = args[++i];
      } else if (arg.startsWith("--products=")) {
        value = arg.substring("--products=".length());
      } else {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
      try {
        products = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--products must be a number, got " + value);
      }
      if (products < 1) {
        throw new IllegalArgumentException("--products must be at least 1, got " + products);
      }
    }
    return products;
  }
}
