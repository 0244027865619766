package dev.storefront.payment.service;

import dev.storefront.payment.config.PaymentConfig;
import dev.storefront.payment.model.Card;
import dev.storefront.payment.model.PaymentToken;
import dev.storefront.payment.repository.TokenRepository;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues payment tokens for cards and resolves them when an order is charged. A token belongs to
 * the account that created it and expires after the configured time; nothing but this class ever
 * sees the card number again, and only to hand it to the processor.
 */
public final class PaymentTokens {

  /** The shape of every token id: the prefix and 32 characters of base64url. */
  public static final Pattern ID = Pattern.compile("tok_[A-Za-z0-9_-]{16,64}");

  private static final int RANDOM_BYTES = 24;

  /** What resolving a token for a charge found: the card to charge, or why there is none. */
  public sealed interface Resolution {}

  /** The token is the payer's and was valid when the order was placed. */
  public record Usable(PaymentToken token, String cardNumber) implements Resolution {
    @Override
    public String toString() {
      return "Usable[" + token.id() + "]";
    }
  }

  /** No card can be charged for this token; {@code detail} says why, without the card. */
  public record Refused(String detail) implements Resolution {}

  private final TokenRepository repository;
  private final CardVault vault;
  private final PaymentConfig.Tokens config;
  private final Clock clock;
  private final PaymentMetrics metrics;
  private final SecureRandom random = new SecureRandom();

  public PaymentTokens(
      TokenRepository repository,
      CardVault vault,
      PaymentConfig.Tokens config,
      Clock clock,
      PaymentMetrics metrics) {
    this.metrics = metrics;
    this.repository = repository;
    this.vault = vault;
    this.config = config;
    this.clock = clock;
  }

  /** A new token for {@code card}, owned by {@code accountId}. */
  public Future<PaymentToken> issue(String accountId, Card card) {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    String id = PaymentToken.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    PaymentToken token =
        new PaymentToken(
            id,
            accountId,
            card.brand(),
            card.lastFour(),
            card.expMonth(),
            card.expYear(),
            now,
            now.plus(config.ttl()));
    return repository
        .insert(token, vault.keyId(), vault.seal(id, card.number()))
        .map(
            v -> {
              metrics.tokenIssued(token.brand());
              return token;
            });
  }

  /** The token if it is {@code accountId}'s; another account's token is as absent as none. */
  public Future<Optional<PaymentToken>> view(String tokenId, String accountId) {
    if (tokenId == null || !ID.matcher(tokenId).matches()) {
      return Future.succeededFuture(Optional.empty());
    }
    return repository
        .find(tokenId)
        .map(
            found ->
                found
                    .map(TokenRepository.Stored::token)
                    .filter(t -> t.accountId().equals(accountId)));
  }

  /**
   * The card behind {@code tokenId} for an order of {@code accountId} placed at {@code orderedAt};
   * refused when the token is unknown, another account's or was expired by then.
   */
  public Future<Resolution> resolve(String tokenId, String accountId, Instant orderedAt) {
    if (tokenId == null || !ID.matcher(tokenId).matches()) {
      return Future.succeededFuture(new Refused("not a payment token"));
    }
    return repository
        .find(tokenId)
        .map(
            found -> {
              if (found.isEmpty() || !found.get().token().accountId().equals(accountId)) {
                return new Refused("unknown payment token");
              }
              TokenRepository.Stored stored = found.get();
              if (stored.token().expiredAt(orderedAt)) {
                return new Refused("payment token expired");
              }
              String number = vault.open(tokenId, stored.keyId(), stored.sealedCard());
              return new Usable(stored.token(), number);
            });
  }

  /** Deletes tokens expired longer ago than the retention; answers how many. */
  public Future<Integer> purgeExpired(int limit) {
    return repository.purgeExpired(config.retention(), limit);
  }
}
