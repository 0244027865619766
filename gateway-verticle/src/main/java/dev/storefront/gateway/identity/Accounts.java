package dev.storefront.gateway.identity;

import dev.storefront.common.http.Problems;
import dev.storefront.common.security.Caller;
import io.vertx.core.Future;
import java.util.List;

/**
 * Registration and login: the policy, the hasher and the repository together. Roles: every account
 * is a {@code customer}; an address listed in {@code ADMIN_EMAILS} registers as {@code admin} as
 * well, and no request can ask for a role.
 */
public final class Accounts {

  /** One answer for a wrong address and a wrong password, so neither is revealed. */
  static final String BAD_CREDENTIALS = "The e-mail address or the password is wrong";

  private final AccountRepository repository;
  private final PasswordHasher hasher;
  private final IdentityConfig config;
  private final CommonPasswords common;
  private final LoginThrottle throttle;

  public Accounts(
      AccountRepository repository,
      PasswordHasher hasher,
      IdentityConfig config,
      CommonPasswords common,
      LoginThrottle throttle) {
    this.repository = repository;
    this.hasher = hasher;
    this.config = config;
    this.common = common;
    this.throttle = throttle;
  }

  /**
   * A new account; 400 for an address or password against the policy, 422 for a common password,
   * 409 for a taken address.
   */
  public Future<Account> register(String email, String password) {
    String address;
    try {
      address = PasswordPolicy.checkEmail(email);
      PasswordPolicy.checkPassword(password, address);
      common.check(password);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    List<String> roles =
        config.isAdmin(address) ? List.of(Caller.CUSTOMER, Caller.ADMIN) : List.of(Caller.CUSTOMER);
    return hasher.hash(password).compose(hash -> repository.create(address, hash, roles));
  }

  /**
   * The account whose address and password these are; else a 401 problem, the same for an unknown
   * address and a wrong password. 400 for input no account could have (control characters, too
   * long), before the database sees it; 429 while the address is locked after failed logins.
   */
  public Future<Account> login(String email, String password) {
    String address;
    try {
      address = PasswordPolicy.loginEmail(email);
      PasswordPolicy.checkLoginPassword(password);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return throttle
        .attempt(address)
        .compose(counted -> repository.findByEmail(address))
        .compose(
            found -> {
              Future<Boolean> matches =
                  found.isPresent()
                      ? hasher.verify(password, found.get().passwordHash())
                      : hasher.verifyDecoy(password);
              return matches.compose(
                  ok ->
                      ok
                          ? throttle.succeeded(address).map(found.get())
                          : Problems.fail(401, BAD_CREDENTIALS));
            });
  }

  public static Caller caller(Account account) {
    return new Caller(
        account.id().toString(), account.email(), java.util.Set.copyOf(account.roles()));
  }
}
