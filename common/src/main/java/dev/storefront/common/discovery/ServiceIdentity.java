package dev.storefront.common.discovery;

import java.util.UUID;

/** Who a process is: the service it runs, its build version and a per-process instance id. */
public record ServiceIdentity(String service, String version, String instanceId) {

  public static ServiceIdentity create(String service, Class<?> anchor) {
    String version = anchor.getPackage().getImplementationVersion();
    return new ServiceIdentity(
        service, version == null ? "dev" : version, UUID.randomUUID().toString().substring(0, 8));
  }
}
