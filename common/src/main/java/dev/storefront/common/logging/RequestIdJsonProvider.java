package dev.storefront.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.storefront.common.http.RequestIds;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Adds {@code requestId}, and the process's {@code service} and {@code instanceId}, to every JSON
 * log line. The request id comes from the Vert.x context of the request being handled.
 */
public class RequestIdJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

  private static volatile String service;
  private static volatile String instanceId;

  /** Called once the process knows who it is. */
  public static void identify(String serviceName, String instance) {
    service = serviceName;
    instanceId = instance;
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    String requestId = RequestIds.current();
    if (requestId != null) {
      generator.writeStringField("requestId", requestId);
    }
    if (service != null) {
      generator.writeStringField("service", service);
      generator.writeStringField("instanceId", instanceId);
    }
  }
}
