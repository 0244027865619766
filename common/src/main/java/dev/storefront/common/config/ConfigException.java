package dev.storefront.common.config;

/** A configuration value that cannot be used; the process refuses to start with it. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
