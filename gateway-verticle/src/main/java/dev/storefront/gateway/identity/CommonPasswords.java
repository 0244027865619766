package dev.storefront.gateway.identity;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Passwords too common to protect an account (NIST SP 800-63B 5.1.1.2: refuse those found in lists
 * of common and breached passwords), from the resource {@value #RESOURCE}, compared without regard
 * to case. The list is made by {@code gateway-verticle/tools/common-passwords.py} from the patterns
 * that lead breach corpora: digit runs, keyboard walks, common words and names with digits, years
 * or a symbol after them, and the shop's own name. A password on it is a 422 of type {@value #TYPE}
 * at sign-up; logins are not checked, so accounts made before a password joined the list still
 * work.
 */
public final class CommonPasswords {

  public static final String RESOURCE = "identity/common-passwords.txt";
  public static final String TYPE = "urn:storefront:problem:common-password";

  private final Set<String> passwords;

  CommonPasswords(Set<String> passwords) {
    this.passwords = Set.copyOf(passwords);
  }

  /** The shipped list, read on a worker thread (it is some 300 kB). */
  public static Future<CommonPasswords> load(Vertx vertx) {
    return vertx.executeBlocking(CommonPasswords::load);
  }

  /** The shipped list, read now. */
  public static CommonPasswords load() {
    InputStream in = CommonPasswords.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException(RESOURCE + " is missing from the class path");
    }
    Set<String> passwords = new HashSet<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isEmpty()) {
          passwords.add(normalise(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
    return new CommonPasswords(passwords);
  }

  public boolean contains(String password) {
    return password != null && passwords.contains(normalise(password));
  }

  public int size() {
    return passwords.size();
  }

  /** Nothing, or a 422 problem when {@code password} is on the list. */
  public void check(String password) {
    if (contains(password)) {
      throw new ProblemException(
          422,
          TYPE,
          Problems.reason(422),
          "This password is on a list of common and breached passwords, which attackers try"
              + " first; choose another (a few unrelated words make a strong one)");
    }
  }

  private static String normalise(String password) {
    return password.toLowerCase(Locale.ROOT);
  }
}
