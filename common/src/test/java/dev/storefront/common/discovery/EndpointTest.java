package dev.storefront.common.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.Status;
import io.vertx.servicediscovery.types.EventBusService;
import io.vertx.servicediscovery.types.HttpEndpoint;
import org.junit.jupiter.api.Test;

class EndpointTest {

  private static final ServiceIdentity CATALOG =
      new ServiceIdentity("catalog", "1.4.0", "c0ffee01");

  @Test
  void aPublishedRecordIsAnHttpEndpointNamedAfterTheService() {
    Record record = Endpoint.record(CATALOG, "10.0.0.5", 8081, "node-1");

    assertThat(record.getType()).isEqualTo(HttpEndpoint.TYPE);
    assertThat(record.getName()).isEqualTo("catalog");
    assertThat(record.getLocation().getString("host")).isEqualTo("10.0.0.5");
    assertThat(record.getLocation().getInteger("port")).isEqualTo(8081);
    assertThat(record.getLocation().getString("root")).isEqualTo("/");
    assertThat(record.getMetadata())
        .isEqualTo(
            new JsonObject()
                .put("instanceId", "c0ffee01")
                .put("nodeId", "node-1")
                .put("version", "1.4.0"));
  }

  @Test
  void aStoredRecordRoundTripsToTheEndpoint() {
    Record stored = Endpoint.record(CATALOG, "10.0.0.5", 8081, "node-1").setRegistration("reg-1");

    Endpoint endpoint = Endpoint.from(stored);

    assertThat(endpoint)
        .isEqualTo(
            new Endpoint("reg-1", "catalog", "10.0.0.5", 8081, 0, "c0ffee01", "node-1", "1.4.0"));
    assertThat(endpoint.authority()).isEqualTo("10.0.0.5:8081");
  }

  @Test
  void theManagementPortTravelsInTheMetadataBesideTheServicePort() {
    Record stored =
        Endpoint.record(CATALOG, "10.0.0.5", 8081, 9090, "node-1").setRegistration("reg-1");

    assertThat(stored.getLocation().getInteger("port")).isEqualTo(8081);
    assertThat(stored.getMetadata().getInteger("managementPort")).isEqualTo(9090);
    Endpoint endpoint = Endpoint.from(new Record(new JsonObject(stored.toJson().encode())));
    assertThat(endpoint)
        .isEqualTo(
            new Endpoint(
                "reg-1", "catalog", "10.0.0.5", 8081, 9090, "c0ffee01", "node-1", "1.4.0"));
    assertThat(endpoint.authority()).isEqualTo("10.0.0.5:8081");
    assertThat(endpoint.toJson().getInteger("managementPort")).isEqualTo(9090);
  }

  @Test
  void theRoundTripSurvivesJsonAsTheClusterStoresIt() {
    Record stored = Endpoint.record(CATALOG, "10.0.0.5", 8081, "node-1").setRegistration("reg-1");

    Record read = new Record(new JsonObject(stored.toJson().encode()));

    assertThat(Endpoint.from(read)).isEqualTo(Endpoint.from(stored));
  }

  @Test
  void toJsonDescribesTheInstance() {
    Endpoint endpoint =
        new Endpoint("reg-1", "catalog", "10.0.0.5", 8081, 0, "c0ffee01", "node-1", "1.4.0");

    assertThat(endpoint.toJson())
        .isEqualTo(
            new JsonObject()
                .put("instanceId", "c0ffee01")
                .put("host", "10.0.0.5")
                .put("port", 8081)
                .put("nodeId", "node-1")
                .put("version", "1.4.0"));
  }

  @Test
  void aRecordWithoutAnOwningNodeIsNotAStorefrontEndpoint() {
    Record foreign =
        HttpEndpoint.createRecord(
                "legacy", "10.0.0.7", 80, "/", new JsonObject().put("instanceId", "x"))
            .setRegistration("reg-2");

    assertThat(Endpoint.from(foreign)).isNull();
  }

  @Test
  void aRecordWithoutMetadataIsNotAStorefrontEndpoint() {
    Record bare = HttpEndpoint.createRecord("legacy", "10.0.0.7", 80, "/").setRegistration("reg-3");

    assertThat(Endpoint.from(bare)).isNull();
  }

  @Test
  void aRecordOfAnotherTypeIsNotAStorefrontEndpoint() {
    Record proxy =
        EventBusService.createRecord(
                "catalog",
                "catalog.service",
                "dev.storefront.Catalog",
                new JsonObject().put("nodeId", "node-1"))
            .setRegistration("reg-4");

    assertThat(Endpoint.from(proxy)).isNull();
  }

  @Test
  void upFollowsTheRecordStatus() {
    Record record = Endpoint.record(CATALOG, "10.0.0.5", 8081, "node-1");

    assertThat(Endpoint.up(record.setStatus(Status.UP))).isTrue();
    assertThat(Endpoint.up(record.setStatus(Status.DOWN))).isFalse();
    assertThat(Endpoint.up(record.setStatus(Status.OUT_OF_SERVICE))).isFalse();
  }

  @Test
  void everyProcessGetsItsOwnShortInstanceId() {
    ServiceIdentity first = ServiceIdentity.create("cart", EndpointTest.class);
    ServiceIdentity second = ServiceIdentity.create("cart", EndpointTest.class);

    assertThat(first.service()).isEqualTo("cart");
    assertThat(first.instanceId()).hasSize(8).isNotEqualTo(second.instanceId());
    // Classes outside a built jar have no Implementation-Version.
    assertThat(first.version()).isEqualTo("dev");
  }
}
