package dev.storefront.payment.processor;

import dev.storefront.payment.model.Card;

/**
 * The card numbers the simulated processor answers in a known way. Any other number that looks like
 * a card number (12 to 19 digits, Luhn check digit right) is approved; one that does not is
 * declined.
 */
public final class TestCards {

  /** Approved. */
  public static final String APPROVED = "4242424242424242";

  /** Declined by the issuer: {@code PaymentFailed} with reason {@code declined}. */
  public static final String DECLINED = "4000000000000002";

  /** Not enough money: {@code PaymentFailed} with reason {@code insufficient_funds}. */
  public static final String INSUFFICIENT_FUNDS = "4000000000009995";

  /** The processor fails every time: retried, then {@code PaymentFailed processor_error}. */
  public static final String PROCESSOR_ERROR = "4000000000000119";

  /** Approved, but only after PAYMENT_PROCESSOR_SLOW_MS, longer than the charge timeout. */
  public static final String SLOW = "4000000000000259";

  private TestCards() {}

  /** 12 to 19 digits with a correct Luhn check digit. */
  public static boolean looksValid(String number) {
    return Card.luhnValid(number);
  }

  /** The last four digits, the most of a card number the service keeps. */
  public static String lastFour(String number) {
    return Card.lastFour(number);
  }
}
