package dev.storefront.common.http;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Registers the context-local slot that holds a request's id. Vert.x wants context locals
 * registered before any Vert.x instance exists; as a service provider this class is loaded while
 * Vert.x starts, which guarantees that.
 */
public final class RequestIdStorage implements VertxServiceProvider {

  static final ContextLocal<String> REQUEST_ID = ContextLocal.registerLocal(String.class);

  @Override
  public void init(VertxBootstrap builder) {
    // Nothing to configure: loading the class registered the slot.
  }
}
