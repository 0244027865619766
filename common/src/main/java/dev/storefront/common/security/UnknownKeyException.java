package dev.storefront.common.security;

/**
 * A token signed with a key id this verifier does not hold. Either a forgery or a key the verifier
 * has not heard of yet (a gateway restarted with a new development key): worth one look for new
 * keys.
 */
public class UnknownKeyException extends InvalidTokenException {

  private final String kid;

  public UnknownKeyException(String kid) {
    super("the token was signed with an unknown key: " + kid);
    this.kid = kid;
  }

  public String kid() {
    return kid;
  }
}
