package dev.storefront.payment.processor;

import dev.storefront.payment.model.Money;
import java.util.Objects;

/** Reverse the charge made under {@code chargeKey}, of {@code amount}. */
public record RefundRequest(String chargeKey, Money amount) {

  public RefundRequest {
    Objects.requireNonNull(chargeKey, "chargeKey");
    Objects.requireNonNull(amount, "amount");
  }
}
