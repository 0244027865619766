package dev.storefront.load.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the journeys pick from, read from the target's own catalog before the run: category slugs,
 * product ids (all, and those in stock for shoppers), and search terms taken from product names.
 */
record CatalogSample(
    List<String> categories,
    List<String> products,
    List<String> inStock,
    List<String> searchTerms) {

  private static final int PAGES = 5;
  private static final int PAGE_SIZE = 100;

  static CatalogSample read(HttpClient client, URI target)
      throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    List<String> categories = new ArrayList<>();
    for (JsonNode category : items(json.readTree(get(client, target, "/api/categories")))) {
      categories.add(category.path("slug").asText());
    }
    List<String> products = new ArrayList<>();
    List<String> inStock = new ArrayList<>();
    Set<String> terms = new LinkedHashSet<>();
    for (int page = 1; page <= PAGES; page++) {
      // By price, so the sample spans the whole catalog rather than its first names.
      String path = "/api/products?sort=price&size=" + PAGE_SIZE + "&page=" + page;
      List<JsonNode> items = items(json.readTree(get(client, target, path)));
      for (JsonNode product : items) {
        String id = product.path("id").asText();
        products.add(id);
        if (product.path("stock").asInt() > 0) {
          inStock.add(id);
        }
        for (String word : product.path("name").asText().split("[^\\p{L}]+")) {
          if (word.length() >= 4) {
            terms.add(word.toLowerCase(Locale.ROOT));
          }
        }
      }
      if (items.size() < PAGE_SIZE) {
        break;
      }
    }
    if (inStock.isEmpty()) {
      throw new IllegalStateException(
          "the target's catalog has no product in stock (seed it: ./storefront seed)");
    }
    if (categories.isEmpty()) {
      categories.add(
          json.readTree(get(client, target, "/api/products/" + products.get(0)))
              .path("category")
              .asText());
    }
    return new CatalogSample(categories, products, inStock, new ArrayList<>(terms));
  }

  String category() {
    return pick(categories);
  }

  String product() {
    return pick(products);
  }

  String productInStock() {
    return pick(inStock);
  }

  String searchTerm() {
    return searchTerms.isEmpty() ? "a" : pick(searchTerms);
  }

  private static String pick(List<String> from) {
    return from.get(ThreadLocalRandom.current().nextInt(from.size()));
  }

  private static List<JsonNode> items(JsonNode answer) {
    JsonNode list = answer.isArray() ? answer : answer.path("items");
    List<JsonNode> items = new ArrayList<>();
    list.forEach(items::add);
    return items;
  }

  private static String get(HttpClient client, URI target, String path)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(target.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
