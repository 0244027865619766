package dev.storefront.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PasswordHasherTest {

  @Test
  void aHashIsArgon2idWithTheDocumentedParametersAndVerifies(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = new PasswordHasher(vertx);
    hasher
        .hash("correct horse battery")
        .compose(
            hash ->
                Future.all(
                        hasher.verify("correct horse battery", hash),
                        hasher.verify("correct horse batterY", hash))
                    .map(all -> new Object[] {hash, all.resultAt(0), all.resultAt(1)}))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat((String) r[0]).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
                          assertThat((Boolean) r[1]).isTrue();
                          assertThat((Boolean) r[2]).isFalse();
                          ctx.completeNow();
                        })));
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = new PasswordHasher(vertx);
    Future.all(hasher.hash("correct horse battery"), hasher.hash("correct horse battery"))
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          assertThat((String) all.resultAt(0)).isNotEqualTo(all.resultAt(1));
                          ctx.completeNow();
                        })));
  }

  @Test
  void theDecoyNeverMatchesAndCostsARealCheck(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher hasher = new PasswordHasher(vertx);
    long start = System.nanoTime();
    hasher
        .verifyDecoy("anything at all")
        .compose(first -> hasher.verifyDecoy("anything at all").map(second -> first || second))
        .onComplete(
            ctx.succeeding(
                matched ->
                    ctx.verify(
                        () -> {
                          assertThat(matched).isFalse();
                          // First call hashes the decoy and checks it, second call checks: 3 argon2
                          // runs of ~19 MiB, which cannot take under 10 ms.
                          assertThat(System.nanoTime() - start).isGreaterThan(10_000_000L);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aHashThatIsNotArgon2NeverMatches(Vertx vertx, VertxTestContext ctx) {
    new PasswordHasher(vertx)
        .verify("correct horse battery", "plain text")
        .onComplete(
            ctx.succeeding(
                ok ->
                    ctx.verify(
                        () -> {
                          assertThat(ok).isFalse();
                          ctx.completeNow();
                        })));
  }
}
