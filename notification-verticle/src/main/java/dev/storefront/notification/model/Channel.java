package dev.storefront.notification.model;

/** Where a notification goes; the wire name is the {@code channel} of the delivery log. */
public enum Channel {
  IN_APP("in_app"),
  EMAIL("email"),
  WEBHOOK("webhook");

  private final String dbValue;

  Channel(String dbValue) {
    this.dbValue = dbValue;
  }

  public String dbValue() {
    return dbValue;
  }

  public static Channel fromDb(String value) {
    for (Channel channel : values()) {
      if (channel.dbValue.equals(value)) {
        return channel;
      }
    }
    throw new IllegalArgumentException("unknown channel: " + value);
  }
}
