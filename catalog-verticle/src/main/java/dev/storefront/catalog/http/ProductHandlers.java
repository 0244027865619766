package dev.storefront.catalog.http;

import dev.storefront.catalog.model.Category;
import dev.storefront.catalog.model.Page;
import dev.storefront.catalog.model.Product;
import dev.storefront.catalog.model.ProductInput;
import dev.storefront.catalog.model.ProductQuery;
import dev.storefront.catalog.service.ProductService;
import dev.storefront.common.http.Problems;
import dev.storefront.common.security.Caller;
import dev.storefront.common.security.InternalIdentity;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Product and category endpoints. */
final class ProductHandlers {

  static final String NO_CACHE = "no-cache";

  private final ProductService products;

  ProductHandlers(ProductService products) {
    this.products = products;
  }

  /**
   * Admin writes. The gateway checks the role too; checking it here as well means a request that
   * reaches the service some other way (a misrouted call, a compromised neighbour) gains nothing.
   */
  static void requireAdmin(RoutingContext ctx) {
    Caller caller = InternalIdentity.requireCaller(ctx);
    if (!caller.hasRole(Caller.ADMIN)) {
      throw Problems.of(403, "Changing the catalog needs the admin role");
    }
    ctx.next();
  }

  Future<JsonObject> list(RoutingContext ctx) {
    return products.list(ProductQuery.from(ctx.queryParams())).map(Page::toJson);
  }

  Future<JsonArray> categories(RoutingContext ctx) {
    return products
        .categories()
        .map(all -> new JsonArray(all.stream().map(Category::toJson).toList()));
  }

  /**
   * A product with its ETag, or 304 when If-None-Match names its version. {@code no-cache}: a
   * browser or shared cache may keep the answer but must ask again each time, with the ETag, as
   * stock and price change at any moment; a product that has not changed then costs a 304. Without
   * a policy of the service's own the gateway would mark the answer {@code no-store}, and the ETag
   * would serve only clients that keep it themselves.
   */
  void get(RoutingContext ctx) {
    UUID id = productId(ctx);
    String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    products
        .find(id)
        .compose(
            found ->
                found
                    .map(Future::succeededFuture)
                    .orElseGet(() -> Problems.fail(404, "No product with id " + id)))
        .map(product -> new Read(product, EntityTags.notModified(ifNoneMatch, product.version())))
        .onSuccess(
            read -> {
              ctx.response()
                  .putHeader(HttpHeaders.ETAG, EntityTags.of(read.product.version()))
                  .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
              if (read.notModified) {
                ctx.response().setStatusCode(304).end();
              } else {
                ctx.json(read.product.toJson());
              }
            })
        .onFailure(ctx::fail);
  }

  private record Read(Product product, boolean notModified) {}

  Future<JsonObject> create(RoutingContext ctx) {
    ProductInput input = ProductInput.from(JsonBodies.object(ctx));
    return products
        .create(input)
        .map(
            product -> {
              ctx.response()
                  .setStatusCode(201)
                  .putHeader(HttpHeaders.LOCATION, "/api/products/" + product.id())
                  .putHeader(HttpHeaders.ETAG, EntityTags.of(product.version()));
              return product.toJson();
            });
  }

  Future<JsonObject> update(RoutingContext ctx) {
    UUID id = productId(ctx);
    var versionMatches = EntityTags.ifMatch(ctx.request().getHeader(HttpHeaders.IF_MATCH));
    ProductInput input = ProductInput.from(JsonBodies.object(ctx));
    return products
        .update(id, versionMatches, input)
        .map(
            product -> {
              ctx.response().putHeader(HttpHeaders.ETAG, EntityTags.of(product.version()));
              return product.toJson();
            });
  }

  void delete(RoutingContext ctx) {
    UUID id = productId(ctx);
    var versionMatches = EntityTags.ifMatch(ctx.request().getHeader(HttpHeaders.IF_MATCH));
    products
        .delete(id, versionMatches)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** A path id that is no UUID names no product: 404, as any unknown id. */
  static UUID productId(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw Problems.of(404, "No product with id " + raw);
    }
  }
}
