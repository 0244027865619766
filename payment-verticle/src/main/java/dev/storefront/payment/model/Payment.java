package dev.storefront.payment.model;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One order's payment as the {@code payments} table holds it. */
public record Payment(
    UUID id,
    UUID orderId,
    String accountId,
    Money amount,
    PaymentStatus status,
    FailureReason failureReason,
    String failureDetail,
    String cardLast4,
    String processorReference,
    int attempts,
    boolean orderCancelled,
    boolean reversalPending,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** The operators' view: everything but nothing of the card beyond its last four digits. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("paymentId", id.toString())
        .put("orderId", orderId.toString())
        .put("accountId", accountId)
        .put("amount", amount.toJson())
        .put("status", status.dbValue())
        .put("failureReason", failureReason == null ? null : failureReason.code())
        .put("failureDetail", failureDetail)
        .put("cardLast4", cardLast4)
        .put("processorReference", processorReference)
        .put("attempts", attempts)
        .put("orderCancelled", orderCancelled)
        .put("reversalPending", reversalPending)
        .put("createdAt", createdAt.toInstant().toString())
        .put("updatedAt", updatedAt.toInstant().toString());
  }
}
