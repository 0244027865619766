package dev.storefront.catalog;

import static dev.storefront.catalog.TestCatalog.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.catalog.demo.DemoCatalog;
import dev.storefront.catalog.demo.DemoSeeder;
import dev.storefront.common.config.DatabaseConfig;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Migrations;
import dev.storefront.common.security.EcKeys;
import dev.storefront.devstack.ThrowawayDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo catalog in a real database: idempotent, seeded once however many start together. */
class DemoSeedingIT {

  private static final int PRODUCTS = 10_000;
  private static final DemoCatalog CATALOG = DemoCatalog.generate(PRODUCTS);

  private ThrowawayDatabase db;
  private Vertx vertx;

  @BeforeEach
  void create() throws Exception {
    db = ThrowawayDatabase.create("catalog_demo");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void drop() {
    await(vertx.close());
    db.close();
  }

  private DatabaseConfig config() {
    return new DatabaseConfig(db.host(), db.port(), db.name(), "catalog", "", "catalog", 2);
  }

  private Pool migratedPool() {
    await(Migrations.migrate(vertx, config()));
    return Database.pool(vertx, config(), 1);
  }

  private long count(String table) {
    return TestCatalog.queryLong(db, "SELECT count(*) FROM " + table);
  }

  @Test
  void seedingTwiceChangesNothing() {
    DemoSeeder seeder = new DemoSeeder(migratedPool());

    int first = await(seeder.seed(CATALOG));
    String checksum =
        "SELECT sum(hashtext(id::text || sku || name || price_minor || stock)) FROM products";
    long before = TestCatalog.queryLong(db, checksum);
    int second = await(seeder.seed(CATALOG));

    assertThat(first).isEqualTo(PRODUCTS);
    assertThat(second).isZero();
    assertThat(count("products")).isEqualTo(PRODUCTS);
    assertThat(count("categories")).isEqualTo(CATALOG.categories().size());
    assertThat(TestCatalog.queryLong(db, checksum)).isEqualTo(before);
    // The ids are the generator's: the same on every machine.
    DemoCatalog.Product one = CATALOG.products().get(1234);
    assertThat(
            TestCatalog.queryLong(
                db,
                "SELECT count(*) FROM products WHERE id = '"
                    + one.id()
                    + "' AND sku = '"
                    + one.sku()
                    + "'"))
        .isEqualTo(1);
  }

  @Test
  void seedingAddsOnlyWhatIsMissing() {
    DemoSeeder seeder = new DemoSeeder(migratedPool());

    assertThat(await(seeder.seed(DemoCatalog.generate(300)))).isEqualTo(300);
    assertThat(await(seeder.seed(DemoCatalog.generate(500)))).isEqualTo(200);
    assertThat(count("products")).isEqualTo(500);
  }

  @Test
  void seededProductsAreSearchable() {
    await(new DemoSeeder(migratedPool()).seed(CATALOG));

    long kettles =
        TestCatalog.queryLong(
            db,
            "SELECT count(*) FROM products WHERE search @@ websearch_to_tsquery('english', 'kettle')");
    assertThat(kettles).isGreaterThan(10);
  }

  @Test
  void twoStartersTogetherSeedOnce() {
    Pool one = migratedPool();
    Pool two = Database.pool(vertx, config(), 1);
    DemoCatalog catalog = DemoCatalog.generate(3_000);

    Future<Boolean> first = new DemoSeeder(one).seedIfEmpty(catalog);
    Future<Boolean> second = new DemoSeeder(two).seedIfEmpty(catalog);
    await(Future.all(first, second));

    assertThat(List.of(first.result(), second.result())).containsExactlyInAnyOrder(true, false);
    assertThat(count("products")).isEqualTo(3_000);
    // Not empty any more: a later start leaves the catalog alone.
    assertThat(await(new DemoSeeder(one).seedIfEmpty(DemoCatalog.generate(3_100)))).isFalse();
    assertThat(count("products")).isEqualTo(3_000);
  }

  @Test
  void twoCatalogProcessesStartingTogetherWithDemoDataSeedOnce() {
    EcKeys.SigningKey key = EcKeys.generate();
    Map<String, String> env = new HashMap<>(TestCatalog.env(db, key));
    env.put("CATALOG_DEMO_DATA", "true");
    env.put("CATALOG_DEMO_PRODUCTS", "2000");
    Vertx other = Vertx.vertx();
    try {
      Future<String> first =
          vertx.deployVerticle(new CatalogVerticle(dev.storefront.common.config.Env.of(env)));
      Future<String> second =
          other.deployVerticle(new CatalogVerticle(dev.storefront.common.config.Env.of(env)));
      await(Future.all(first, second));

      assertThat(count("products")).isEqualTo(2_000);
      assertThat(count("categories")).isEqualTo(CATALOG.categories().size());
    } finally {
      await(other.close());
    }
  }

  @Test
  void theCommandMigratesAndSeeds() {
    int inserted =
        await(dev.storefront.catalog.demo.DemoCatalogCommandAccess.run(vertx, config(), 250));

    assertThat(inserted).isEqualTo(250);
    assertThat(count("products")).isEqualTo(250);
    assertThat(count("categories")).isGreaterThanOrEqualTo(20);
  }
}
