package dev.storefront.gateway.identity;

import dev.storefront.common.http.ProblemException;
import dev.storefront.common.http.Problems;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an account's e-mail address and password must be, after NIST SP 800-63B: length matters,
 * composition rules ("one digit, one symbol") do not, so there are none.
 *
 * <ul>
 *   <li>E-mail: one {@code @}, a local part of 1 to 64 characters, a domain with at least one dot
 *       and no empty label, no whitespace or control characters, 254 characters at most (RFC 5321).
 *   <li>Password: 10 to 128 characters (Unicode code points; the upper bound keeps hashing cheap to
 *       refuse, not weak), not one character repeated, not the e-mail address itself.
 * </ul>
 */
public final class PasswordPolicy {

  public static final int MIN_PASSWORD = 10;
  public static final int MAX_PASSWORD = 128;
  public static final int MAX_EMAIL = 254;

  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@(?:[^@\\s\\p{Cntrl}.]+\\.)+[^@\\s\\p{Cntrl}.]+");

  private PasswordPolicy() {}

  /** The address as stored (trimmed), or a 400 problem that says what is wrong. */
  public static String checkEmail(String email) {
    if (email == null || email.isBlank()) {
      throw invalid("An e-mail address is required");
    }
    String trimmed = email.trim();
    if (trimmed.length() > MAX_EMAIL || !EMAIL.matcher(trimmed).matches()) {
      throw invalid("The e-mail address is not a valid address");
    }
    return trimmed;
  }

  /** Nothing, or a 400 problem naming the rule {@code password} breaks. */
  public static void checkPassword(String password, String email) {
    if (password == null) {
      throw invalid("A password is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < MIN_PASSWORD) {
      throw invalid("The password must have at least " + MIN_PASSWORD + " characters");
    }
    if (length > MAX_PASSWORD) {
      throw invalid("The password must have at most " + MAX_PASSWORD + " characters");
    }
    if (password.codePoints().distinct().count() == 1) {
      throw invalid("The password must not be one character repeated");
    }
    if (email != null
        && password.toLowerCase(Locale.ROOT).equals(email.trim().toLowerCase(Locale.ROOT))) {
      throw invalid("The password must not be the e-mail address");
    }
  }

  private static ProblemException invalid(String detail) {
    return Problems.of(400, detail);
  }
}
