package dev.storefront.notification.model;

/** What a notification tells its account; the wire name is the same in the feed and webhooks. */
public enum NotificationKind {
  ORDER_CONFIRMED("order.confirmed"),
  ORDER_CANCELLED("order.cancelled"),
  PAYMENT_FAILED("payment.failed"),
  PAYMENT_REFUNDED("payment.refunded");

  private final String wireName;

  NotificationKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static NotificationKind fromWireName(String name) {
    for (NotificationKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown notification kind: " + name);
  }
}
