package dev.storefront.payment.model;

import java.time.YearMonth;
import java.util.Objects;

/**
 * A card as the shopper gave it, in memory only: the service seals the number at once and keeps
 * nothing of it in the clear but the brand and the last four digits.
 */
public record Card(String number, int expMonth, int expYear) {

  public Card {
    Objects.requireNonNull(number, "number");
  }

  /** The last four digits, the most of a card number that is shown or stored in the clear. */
  public String lastFour() {
    return lastFour(number);
  }

  public String brand() {
    return brand(number);
  }

  /** Whether the card can no longer be used in {@code month}: it expires after its last month. */
  public boolean expiredIn(YearMonth month) {
    return YearMonth.of(expYear, expMonth).isBefore(month);
  }

  /** The last four digits of {@code number}, or "" for something shorter. */
  public static String lastFour(String number) {
    if (number == null || number.length() < 4) {
      return "";
    }
    return number.substring(number.length() - 4);
  }

  /** The card network, from the number's leading digits; {@code unknown} when none matches. */
  public static String brand(String number) {
    if (number.startsWith("4")) {
      return "visa";
    }
    if (number.startsWith("34") || number.startsWith("37")) {
      return "amex";
    }
    if (number.length() >= 2) {
      int two = Integer.parseInt(number.substring(0, 2));
      if (two >= 51 && two <= 55) {
        return "mastercard";
      }
      if (number.startsWith("6011") || number.startsWith("65")) {
        return "discover";
      }
      if (number.length() >= 4) {
        int four = Integer.parseInt(number.substring(0, 4));
        if (four >= 2221 && four <= 2720) {
          return "mastercard";
        }
      }
    }
    return "unknown";
  }

  /** 12 to 19 digits with a correct Luhn check digit. */
  public static boolean luhnValid(String number) {
    if (number == null || !number.matches("\\d{12,19}")) {
      return false;
    }
    int sum = 0;
    boolean doubled = false;
    for (int i = number.length() - 1; i >= 0; i--) {
      int digit = number.charAt(i) - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  @Override
  public String toString() {
    // The number stays out of logs and failure messages.
    return "Card[" + brand() + " *" + lastFour() + ", " + expMonth + "/" + expYear + "]";
  }
}
