package dev.storefront.catalog;

import dev.storefront.common.security.EcKeys;
import dev.storefront.common.security.InternalTokens;
import io.vertx.core.Vertx;

/** A well-formed internal token signed by a key the service does not trust. */
final class EcKeysForgery {

  private EcKeysForgery() {}

  static String token() {
    Vertx vertx = Vertx.vertx();
    try {
      return new InternalTokens.Issuer(vertx, EcKeys.generate()).issue(TestCatalog.ADMIN);
    } finally {
      vertx.close();
    }
  }
}
