package dev.storefront.notification.model;

import java.util.Objects;
import java.util.UUID;

/** Who to write to about an order: its account, and its address if it had one at checkout. */
public record OrderContact(UUID orderId, String accountId, String email) {

  public OrderContact {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(accountId, "accountId");
  }
}
