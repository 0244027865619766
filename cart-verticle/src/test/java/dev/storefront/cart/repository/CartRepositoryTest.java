package dev.storefront.cart.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.cart.config.CartConfig;
import dev.storefront.cart.model.Cart;
import dev.storefront.cart.model.CartLine;
import dev.storefront.cart.model.Money;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The compare-and-set loop on a Vert.x async map (local here; clustered in the ITs). */
@ExtendWith(VertxExtension.class)
class CartRepositoryTest {

  private static final Money PRICE = new Money(100, "EUR");
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void concurrentChangesFromSeveralContextsEachApplyToTheLatestCart(
      Vertx vertx, VertxTestContext ctx) {
    repository(vertx, 50)
        .compose(
            carts -> {
              List<Future<Cart>> changes = new ArrayList<>();
              for (int i = 0; i < 40; i++) {
                String product = UUID.randomUUID().toString();
                // Each change from its own context, as requests on different event loops are.
                changes.add(
                    vertx
                        .getOrCreateContext()
                        .<Future<Cart>>executeBlocking(
                            () -> carts.update("alice", c -> add(c, product)))
                        .compose(f -> f));
              }
              return Future.all(changes).compose(all -> carts.find("alice"));
            })
        .onComplete(
            ctx.succeeding(
                cart ->
                    ctx.verify(
                        () -> {
                          assertThat(cart.lines()).hasSize(40);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aChangeThatThrowsWritesNothing(Vertx vertx, VertxTestContext ctx) {
    repository(vertx, 5)
        .compose(
            carts ->
                carts
                    .update("alice", c -> add(c, "p1"))
                    .compose(
                        first ->
                            carts.update(
                                "alice",
                                c -> {
                                  throw new IllegalStateException("refused");
                                }))
                    .recover(e -> carts.find("alice")))
        .onComplete(
            ctx.succeeding(
                cart ->
                    ctx.verify(
                        () -> {
                          assertThat(cart.lines())
                              .extracting(CartLine::productId)
                              .containsExactly("p1");
                          ctx.completeNow();
                        })));
  }

  @Test
  void aChangeThatAlwaysLosesGivesUpAfterItsAttempts(Vertx vertx, VertxTestContext ctx) {
    vertx
        .sharedData()
        .<String, String>getAsyncMap(CartRepository.MAP)
        .compose(
            map -> {
              CartRepository carts = new CartRepository(vertx, map, storage(3), registry);
              int[] calls = new int[1];
              return carts
                  .update("alice", c -> add(c, "p0"))
                  .compose(
                      v ->
                          carts.update(
                              "alice",
                              c -> {
                                // Another writer changes the cart after every read.
                                calls[0]++;
                                map.put("alice", add(c, "p" + calls[0]).toStorage());
                                return add(c, "mine");
                              }))
                  .map(c -> calls[0]);
            })
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertThat(e).isInstanceOf(CartContentionException.class);
                          assertThat(registry.counter("storefront_cart_cas_retries").count())
                              .isEqualTo(2.0);
                          assertThat(registry.counter("storefront_cart_cas_exhausted").count())
                              .isEqualTo(1.0);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aCartLeftWithoutLinesStaysToRememberWhatWasRemoved(Vertx vertx, VertxTestContext ctx) {
    vertx
        .sharedData()
        .<String, String>getAsyncMap(CartRepository.MAP)
        .compose(
            map -> {
              CartRepository carts = new CartRepository(vertx, map, storage(5), registry);
              return carts
                  .update("alice", c -> add(c, "p1"))
                  .compose(c -> carts.update("alice", cart -> cart.without("p1", NOW)))
                  .compose(c -> map.get("alice"));
            })
        .onComplete(
            ctx.succeeding(
                stored ->
                    ctx.verify(
                        () -> {
                          // Removed from the map, the removal could not win a merge with a version
                          // of the cart from the other side of a network partition.
                          Cart cart = Cart.fromStorage(stored);
                          assertThat(cart.isEmpty()).isTrue();
                          assertThat(cart.removed()).containsOnlyKeys("p1");
                          ctx.completeNow();
                        })));
  }

  private Future<CartRepository> repository(Vertx vertx, int attempts) {
    return CartRepository.open(vertx, storage(attempts), registry);
  }

  private static CartConfig.Storage storage(int attempts) {
    return new CartConfig.Storage(Duration.ofDays(7), 100, attempts);
  }

  private static Cart add(Cart cart, String product) {
    return cart.withLine(product, product, PRICE, 1, NOW, 100);
  }
}
