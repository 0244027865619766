package dev.storefront.common.discovery;

import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.Status;
import io.vertx.servicediscovery.types.HttpEndpoint;

/**
 * One instance of a service, as published in discovery: an HTTP endpoint record whose location is
 * the service port and whose metadata names the instance, the cluster member that owns it and its
 * management port (0 when it has none).
 */
public record Endpoint(
    String registration,
    String service,
    String host,
    int port,
    int managementPort,
    String instanceId,
    String nodeId,
    String version) {

  static final String INSTANCE_ID = "instanceId";
  static final String NODE_ID = "nodeId";
  static final String VERSION = "version";
  static final String MANAGEMENT_PORT = "managementPort";

  /** A record of an instance that has no management port (a stand-in, say). */
  public static Record record(ServiceIdentity identity, String host, int port, String nodeId) {
    return record(identity, host, port, 0, nodeId);
  }

  /**
   * Callers route to {@code host:port}; {@code managementPort} (health and metrics, on the same
   * host) is there for operators and their tools.
   */
  public static Record record(
      ServiceIdentity identity, String host, int port, int managementPort, String nodeId) {
    JsonObject metadata =
        new JsonObject()
            .put(INSTANCE_ID, identity.instanceId())
            .put(NODE_ID, nodeId)
            .put(VERSION, identity.version());
    if (managementPort > 0) {
      metadata.put(MANAGEMENT_PORT, managementPort);
    }
    return HttpEndpoint.createRecord(identity.service(), host, port, "/", metadata);
  }

  /** The endpoint a record describes, or null for records that are not Storefront endpoints. */
  public static Endpoint from(Record record) {
    JsonObject metadata = record.getMetadata();
    JsonObject location = record.getLocation();
    if (!HttpEndpoint.TYPE.equals(record.getType())
        || metadata == null
        || location == null
        || metadata.getString(NODE_ID) == null
        || record.getRegistration() == null) {
      return null;
    }
    return new Endpoint(
        record.getRegistration(),
        record.getName(),
        location.getString("host"),
        location.getInteger("port"),
        metadata.getInteger(MANAGEMENT_PORT, 0),
        metadata.getString(INSTANCE_ID),
        metadata.getString(NODE_ID),
        metadata.getString(VERSION));
  }

  public static boolean up(Record record) {
    return record.getStatus() == Status.UP;
  }

  /** host:port, the key a client's connection pool and breaker are kept under. */
  public String authority() {
    return host + ":" + port;
  }

  /** What an operator sees; {@code managementPort} only when the instance has one. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject().put("instanceId", instanceId).put("host", host).put("port", port);
    if (managementPort > 0) {
      json.put("managementPort", managementPort);
    }
    return json.put("nodeId", nodeId).put("version", version);
  }
}
