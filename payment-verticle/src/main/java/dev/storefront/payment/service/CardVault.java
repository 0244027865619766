package dev.storefront.payment.service;

import dev.storefront.common.config.ConfigException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals card numbers for storage and opens them to charge: AES-256-GCM under a key from the
 * service's configuration, with the token id as associated data, so that a sealed card copied to
 * another token's row does not open. The key never goes to the database; what a row records is the
 * key's id (the first bytes of its SHA-256), so a row sealed under a key no longer configured fails
 * clearly instead of decrypting to garbage.
 */
public final class CardVault {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final String keyId;
  private final SecureRandom random = new SecureRandom();

  private CardVault(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
    this.keyId = idOf(key);
  }

  /** From the base64 text of a 256-bit key; throws ConfigException when it is not one. */
  public static CardVault of(String variable, String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new ConfigException(
          variable
              + " is required: a 256-bit key in base64 (for example: head -c 32 /dev/urandom |"
              + " base64), kept out of the database and the same for every payment process");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(variable + " must be base64");
    }
    if (key.length != 32) {
      throw new ConfigException(
          variable + " must be 32 bytes (256 bits) in base64, got " + key.length + " bytes");
    }
    return new CardVault(key);
  }

  /** The id of the key that seals new cards. */
  public String keyId() {
    return keyId;
  }

  /** Nonce followed by ciphertext and tag. */
  public byte[] seal(String tokenId, String cardNumber) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(tokenId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(cardNumber.getBytes(StandardCharsets.US_ASCII));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
  }

  /**
   * The card number sealed for {@code tokenId} under key {@code sealedWith}.
   *
   * @throws IllegalStateException when that key is not the configured one or the data was altered
   */
  public String open(String tokenId, String sealedWith, byte[] sealed) {
    if (!keyId.equals(sealedWith)) {
      throw new IllegalStateException(
          "token " + tokenId + " was sealed with key " + sealedWith + ", not the configured one");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(tokenId.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the sealed card of token " + tokenId + " does not open", e);
    }
  }

  private static String idOf(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
