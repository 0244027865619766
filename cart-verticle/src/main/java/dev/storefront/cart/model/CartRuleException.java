package dev.storefront.cart.model;

/** A change a cart refuses: it would break one of the cart's rules. */
public final class CartRuleException extends RuntimeException {

  /** Which rule. */
  public enum Rule {
    /** The cart already holds as many distinct products as it may. */
    TOO_MANY_LINES,
    /** The product is priced in another currency than the rest of the cart. */
    CURRENCY_MISMATCH
  }

  private final Rule rule;

  public CartRuleException(Rule rule, String detail) {
    super(detail, null, false, false);
    this.rule = rule;
  }

  public Rule rule() {
    return rule;
  }
}
