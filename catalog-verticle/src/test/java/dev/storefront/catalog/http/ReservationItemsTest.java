package dev.storefront.catalog.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.catalog.model.Reservation.Item;
import dev.storefront.common.http.ProblemException;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReservationItemsTest {

  @Test
  void itemsAreRead() {
    UUID id = UUID.randomUUID();
    JsonObject body = new JsonObject("{\"items\":[{\"productId\":\"" + id + "\",\"quantity\":3}]}");

    assertThat(ReservationHandlers.items(body)).containsExactly(new Item(id, 3));
  }

  @Test
  void malformedItemsAre400() {
    String id = UUID.randomUUID().toString();
    for (String bad :
        new String[] {
          "{}",
          "{\"items\":[]}",
          "{\"items\":{}}",
          "{\"items\":[1]}",
          "{\"items\":[{\"productId\":\"nope\",\"quantity\":1}]}",
          "{\"items\":[{\"productId\":\"" + id + "\",\"quantity\":0}]}",
          "{\"items\":[{\"productId\":\"" + id + "\",\"quantity\":\"2\"}]}",
          "{\"items\":[{\"productId\":\"" + id + "\"}]}"
        }) {
      assertThatThrownBy(() -> ReservationHandlers.items(new JsonObject(bad)))
          .as(bad)
          .isInstanceOfSatisfying(
              ProblemException.class, p -> assertThat(p.status()).isEqualTo(400));
    }
  }
}
