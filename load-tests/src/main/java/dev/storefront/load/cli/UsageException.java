package dev.storefront.load.cli;

/** A command line the tool cannot run: said in one line, exit status 2. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
