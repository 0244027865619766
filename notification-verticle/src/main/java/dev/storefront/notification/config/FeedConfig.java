package dev.storefront.notification.config;

import dev.storefront.common.config.ConfigException;
import dev.storefront.common.config.Env;
import java.time.Duration;

/**
 * The in-app feed and its live stream.
 *
 * <table>
 *   <tr><td>NOTIFICATION_STREAM_HEARTBEAT_S</td><td>15</td><td>seconds between {@code : keep-alive}
 *   comments on an open stream; each also re-reads the feed, so a lost announcement delays a
 *   notification by at most this long. Below 60, the services' HTTP idle timeout</td></tr>
 *   <tr><td>NOTIFICATION_STREAMS_PER_ACCOUNT</td><td>5</td><td>open streams one account may hold on
 *   one process; past it 429</td></tr>
 *   <tr><td>NOTIFICATION_PAGE_SIZE_MAX</td><td>100</td><td>largest {@code size} a list request may
 *   ask for; past it 400</td></tr>
 * </table>
 */
public record FeedConfig(Duration heartbeat, int streamsPerAccount, int maxPageSize) {

  /**
   * The services' HTTP servers close a connection silent for 60 s; a heartbeat must come sooner or
   * a quiet stream is cut and reconnects for nothing.
   */
  static final int MAX_HEARTBEAT_S = 59;

  public FeedConfig {
    if (heartbeat.isNegative()
        || heartbeat.isZero()
        || heartbeat.compareTo(Duration.ofSeconds(MAX_HEARTBEAT_S)) > 0) {
      throw new ConfigException(
          "NOTIFICATION_STREAM_HEARTBEAT_S must be from 1 to "
              + MAX_HEARTBEAT_S
              + ", got "
              + heartbeat.toSeconds());
    }
  }

  public static FeedConfig from(Env env) {
    return new FeedConfig(
        Duration.ofSeconds(env.positive("NOTIFICATION_STREAM_HEARTBEAT_S", 15)),
        env.positive("NOTIFICATION_STREAMS_PER_ACCOUNT", 5),
        env.positive("NOTIFICATION_PAGE_SIZE_MAX", 100));
  }
}
