package dev.storefront.cart.repository;

/** Every compare-and-set attempt of a change lost to other changes of the same cart. */
public final class CartContentionException extends RuntimeException {

  public CartContentionException(int attempts) {
    super(
        "The cart changed concurrently on each of " + attempts + " attempts; try again",
        null,
        false,
        false);
  }
}
