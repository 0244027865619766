package dev.storefront.common.security;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P-256 key material for ES256 tokens: generation, PEM in and out (PKCS#8 private keys, X.509
 * SubjectPublicKeyInfo public keys), JWKs and RFC 7638 thumbprints used as key ids.
 */
public final class EcKeys {

  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----", Pattern.MULTILINE);
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private EcKeys() {}

  /** A fresh P-256 key pair with its thumbprint as id. */
  public static SigningKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
      return new SigningKey(
          thumbprint(publicKey),
          pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          pem("PUBLIC KEY", publicKey.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM cannot generate P-256 keys", e);
    }
  }

  /**
   * A signing key from a PKCS#8 PEM private key; its public half is derived, so operators configure
   * one secret only. {@code kid} null or blank takes the key's thumbprint.
   */
  public static SigningKey fromPrivatePem(String privatePem, String kid) {
    ECPrivateKey privateKey = privateKey(privatePem);
    ECPublicKey publicKey = derivePublic(privateKey);
    String id = kid == null || kid.isBlank() ? thumbprint(publicKey) : kid.trim();
    return new SigningKey(
        id, pem("PRIVATE KEY", privateKey.getEncoded()), pem("PUBLIC KEY", publicKey.getEncoded()));
  }

  /** Every public key in {@code pems} (one or more concatenated PEM blocks), id = thumbprint. */
  public static List<VerificationKey> publicKeys(String pems) {
    List<VerificationKey> keys = new ArrayList<>();
    if (pems == null || pems.isBlank()) {
      return keys;
    }
    Matcher m = PEM.matcher(pems.replace("\\n", "\n"));
    while (m.find()) {
      if (!"PUBLIC KEY".equals(m.group(1))) {
        throw new IllegalArgumentException("Expected PUBLIC KEY PEM blocks, got " + m.group(1));
      }
      ECPublicKey key = publicKey(m.group(0));
      keys.add(new VerificationKey(thumbprint(key), pem("PUBLIC KEY", key.getEncoded())));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("No PUBLIC KEY PEM block found");
    }
    return keys;
  }

  public static ECPublicKey publicKey(String pem) {
    try {
      return (ECPublicKey)
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("Not an EC public key in X.509 PEM form", e);
    }
  }

  public static ECPrivateKey privateKey(String pem) {
    try {
      ECPrivateKey key =
          (ECPrivateKey)
              KeyFactory.getInstance("EC")
                  .generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
      if (key.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException("ES256 needs a P-256 key");
      }
      return key;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("Not an EC private key in PKCS#8 PEM form", e);
    }
  }

  /** The public JWK (RFC 7517/7518) of {@code publicPem}, for a JWKS document. */
  public static JsonObject jwk(String kid, String publicPem) {
    ECPublicKey key = publicKey(publicPem);
    return new JsonObject()
        .put("kty", "EC")
        .put("crv", "P-256")
        .put("x", coordinate(key.getW().getAffineX()))
        .put("y", coordinate(key.getW().getAffineY()))
        .put("use", "sig")
        .put("alg", "ES256")
        .put("kid", kid);
  }

  /** RFC 7638 JWK thumbprint: a key id that any party can recompute from the public key. */
  public static String thumbprint(ECPublicKey key) {
    // Members in lexicographic order, no whitespace, as RFC 7638 requires.
    String canonical =
        "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""
            + coordinate(key.getW().getAffineX())
            + "\",\"y\":\""
            + coordinate(key.getW().getAffineY())
            + "\"}";
    try {
      return URL.encodeToString(
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(String pem, String type) {
    // Environment variables often carry PEMs with literal \n instead of line breaks.
    Matcher m = PEM.matcher(pem.replace("\\n", "\n"));
    if (!m.find() || !type.equals(m.group(1))) {
      throw new IllegalArgumentException("Expected a " + type + " PEM block");
    }
    return Base64.getMimeDecoder().decode(m.group(2));
  }

  private static String coordinate(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] fixed = new byte[32];
    // toByteArray is minimal two's complement: strip a sign byte, left-pad short values.
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
    return URL.encodeToString(fixed);
  }

  /**
   * Public point = d·G. The JCA offers no way to get it from a PKCS#8 key, so it is computed here;
   * it runs once per configured key at start-up, on the operator's own key, so the variable-time
   * double-and-add leaks nothing an attacker can time.
   */
  static ECPublicKey derivePublic(ECPrivateKey privateKey) {
    ECParameterSpec params = privateKey.getParams();
    BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
    BigInteger a = params.getCurve().getA();
    ECPoint q = multiply(params.getGenerator(), privateKey.getS(), a, p);
    try {
      return (ECPublicKey)
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(q, params));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Could not derive the public key", e);
    }
  }

  private static ECPoint multiply(ECPoint g, BigInteger k, BigInteger a, BigInteger p) {
    ECPoint result = ECPoint.POINT_INFINITY;
    ECPoint addend = g;
    for (int i = 0; i < k.bitLength(); i++) {
      if (k.testBit(i)) {
        result = add(result, addend, a, p);
      }
      addend = add(addend, addend, a, p);
    }
    return result;
  }

  private static ECPoint add(ECPoint r, ECPoint s, BigInteger a, BigInteger p) {
    if (r.equals(ECPoint.POINT_INFINITY)) {
      return s;
    }
    if (s.equals(ECPoint.POINT_INFINITY)) {
      return r;
    }
    BigInteger lambda;
    if (r.getAffineX().equals(s.getAffineX())) {
      if (r.getAffineY().add(s.getAffineY()).mod(p).signum() == 0) {
        return ECPoint.POINT_INFINITY;
      }
      BigInteger x = r.getAffineX();
      lambda =
          x.pow(2)
              .multiply(BigInteger.valueOf(3))
              .add(a)
              .multiply(r.getAffineY().shiftLeft(1).modInverse(p))
              .mod(p);
    } else {
      lambda =
          s.getAffineY()
              .subtract(r.getAffineY())
              .multiply(s.getAffineX().subtract(r.getAffineX()).modInverse(p))
              .mod(p);
    }
    BigInteger x = lambda.pow(2).subtract(r.getAffineX()).subtract(s.getAffineX()).mod(p);
    BigInteger y = lambda.multiply(r.getAffineX().subtract(x)).subtract(r.getAffineY()).mod(p);
    return new ECPoint(x, y);
  }

  /** A key pair that signs: id, PKCS#8 private PEM, X.509 public PEM. */
  public record SigningKey(String kid, String privatePem, String publicPem) {

    public VerificationKey verification() {
      return new VerificationKey(kid, publicPem);
    }

    public JsonObject toJson() {
      return new JsonObject().put("kid", kid).put("private", privatePem).put("public", publicPem);
    }

    public static SigningKey fromJson(JsonObject json) {
      return new SigningKey(
          json.getString("kid"), json.getString("private"), json.getString("public"));
    }

    @Override
    public String toString() {
      // Never print the private key.
      return "SigningKey[kid=" + kid + "]";
    }
  }

  /** A public key that verifies: id and X.509 public PEM. */
  public record VerificationKey(String kid, String publicPem) {

    public JsonObject toJson() {
      return new JsonObject().put("kid", kid).put("public", publicPem);
    }

    public static VerificationKey fromJson(JsonObject json) {
      return new VerificationKey(json.getString("kid"), json.getString("public"));
    }
  }
}
