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
 *       refuse, not weak), no control characters, not one character repeated, not the e-mail
 *       address itself, and not on the list of {@link CommonPasswords} (checked by {@link
 *       Accounts}).
 * </ul>
 *
 * <p>Neither field may hold a control character (NUL, line breaks, C1 controls) or half of a
 * surrogate pair, at sign-up or login: PostgreSQL refuses NUL in text, and a lone surrogate would
 * reach the database or the hash as {@code ?}, so two different inputs would look the same.
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
    String trimmed = loginEmail(email);
    if (!EMAIL.matcher(trimmed).matches()) {
      throw invalid("The e-mail address is not a valid address");
    }
    return trimmed;
  }

  /**
   * The address of a login, trimmed, once it is something the database can be asked about: present,
   * at most {@value #MAX_EMAIL} characters, text without control characters. Anything else is a 400
   * problem; an address that merely is not valid is left to fail as a wrong one would.
   */
  public static String loginEmail(String email) {
    if (email == null || email.isBlank()) {
      throw invalid("An e-mail address is required");
    }
    // Before trimming, which would quietly drop control characters at either end.
    checkText(email, "The e-mail address");
    String trimmed = email.trim();
    if (trimmed.length() > MAX_EMAIL) {
      throw invalid("The e-mail address must have at most " + MAX_EMAIL + " characters");
    }
    return trimmed;
  }

  /**
   * Nothing when {@code password} could be a password at login: present, at most {@value
   * #MAX_PASSWORD} characters, without control characters. Else a 400 problem: no account can have
   * such a password, so there is nothing to check it against.
   */
  public static void checkLoginPassword(String password) {
    if (password == null) {
      throw invalid("A password is required");
    }
    if (password.codePointCount(0, password.length()) > MAX_PASSWORD) {
      throw invalid("The password must have at most " + MAX_PASSWORD + " characters");
    }
    checkText(password, "The password");
  }

  /** Nothing, or a 400 problem naming the rule {@code password} breaks. */
  public static void checkPassword(String password, String email) {
    if (password == null) {
      throw invalid("A password is required");
    }
    checkText(password, "The password");
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

  /** A 400 problem when {@code value} has a control character or half a surrogate pair. */
  private static void checkText(String value, String what) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.getType(c) == Character.CONTROL) {
        throw invalid(what + " must not contain control characters");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw invalid(what + " is not valid Unicode text");
      }
    }
  }

  private static ProblemException invalid(String detail) {
    return Problems.of(400, detail);
  }
}
