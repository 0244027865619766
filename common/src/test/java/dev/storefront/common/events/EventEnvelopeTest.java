package dev.storefront.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventEnvelopeTest {

  private static final String ORDER = "6f1c2b9e-3f7a-4c1e-9d55-0c8f3f2a9b10";
  private static final String EVENT = "0b6e8f2c-7d3a-4a55-8e1f-2c9d4b7a6e31";

  private static JsonObject valid() {
    return new JsonObject()
        .put("eventId", EVENT)
        .put("type", "OrderCreated")
        .put("version", 1)
        .put("occurredAt", "2026-11-22T02:40:00.123Z")
        .put("orderId", ORDER)
        .put(
            "data",
            new JsonObject()
                .put("accountId", "a-1")
                .put("total", new JsonObject().put("amountMinor", 1999L).put("currency", "EUR")));
  }

  private static JsonObject valid(Consumer<JsonObject> change) {
    JsonObject json = valid();
    change.accept(json);
    return json;
  }

  @Test
  void readsTheContractsShape() {
    EventEnvelope event = EventEnvelope.fromBuffer(valid().toBuffer());

    assertThat(event.eventId()).isEqualTo(UUID.fromString(EVENT));
    assertThat(event.type()).isEqualTo("OrderCreated");
    assertThat(event.version()).isEqualTo(1);
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-22T02:40:00.123Z"));
    assertThat(event.orderId()).isEqualTo(UUID.fromString(ORDER));
    assertThat(event.data().getJsonObject("total").getLong("amountMinor")).isEqualTo(1999L);
  }

  @Test
  void writesWhatItReads() {
    JsonObject json = valid();

    assertThat(EventEnvelope.fromJson(json).toJson()).isEqualTo(json);
    assertThat(EventEnvelope.fromBuffer(EventEnvelope.fromJson(json).toBuffer()))
        .isEqualTo(EventEnvelope.fromJson(json));
  }

  @Test
  void createdEventsAreVersionOneWithFreshIdsAndMillisecondTimes() {
    UUID order = UUID.randomUUID();
    EventEnvelope first = EventEnvelope.create("OrderConfirmed", order, new JsonObject());
    EventEnvelope second = EventEnvelope.create("OrderConfirmed", order, new JsonObject());

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.orderId()).isEqualTo(order);
    assertThat(first.eventId()).isNotEqualTo(second.eventId());
    assertThat(first.occurredAt().getNano() % 1_000_000).isZero();
    assertThat(first.toJson().getString("occurredAt")).matches("\\d{4}-.*T.*Z");
  }

  @Test
  void unknownFieldsAreIgnored() {
    EventEnvelope event = EventEnvelope.fromJson(valid(j -> j.put("traceId", "abc")));

    assertThat(event.type()).isEqualTo("OrderCreated");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[1,2,3]",
        "\"OrderCreated\"",
        "null",
        "{\"eventId\":",
      })
  void bytesThatAreNoJsonObjectAreRejected(String text) {
    assertThatThrownBy(() -> EventEnvelope.fromBuffer(Buffer.buffer(text)))
        .isInstanceOf(MalformedEventException.class)
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nothingIsRejected() {
    assertThatThrownBy(() -> EventEnvelope.fromBuffer(null))
        .isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventEnvelope.fromJson(null))
        .isInstanceOf(MalformedEventException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"eventId", "type", "version", "occurredAt", "orderId", "data"})
  void everyFieldIsRequired(String field) {
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.remove(field))))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining(field);
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.putNull(field))))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining(field);
  }

  @Test
  void idsMustBeWholeUuids() {
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("eventId", "42"))))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("eventId");
    // UUID.fromString would take this shortened form.
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("orderId", "1-2-3-4-5"))))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("orderId");
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("orderId", 7))))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void typeMustBeANonEmptyString() {
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("type", " "))))
        .isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("type", 3))))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void versionMustBeAPositiveInteger() {
    for (Object version : new Object[] {0, -1, 1.5, "1", 3_000_000_000L, true}) {
      assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("version", version))))
          .as("version %s", version)
          .isInstanceOf(MalformedEventException.class);
    }
    assertThat(EventEnvelope.fromJson(valid(j -> j.put("version", 2))).version()).isEqualTo(2);
  }

  @Test
  void occurredAtMustBeAnInstant() {
    for (Object value :
        new Object[] {"yesterday", "2026-11-22", "2026-11-22T02:40:00", 1700000000}) {
      assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("occurredAt", value))))
          .as("occurredAt %s", value)
          .isInstanceOf(MalformedEventException.class);
    }
  }

  @Test
  void dataMustBeAnObject() {
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("data", new JsonArray()))))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("data");
    assertThatThrownBy(() -> EventEnvelope.fromJson(valid(j -> j.put("data", "{}"))))
        .isInstanceOf(MalformedEventException.class);
  }
}
