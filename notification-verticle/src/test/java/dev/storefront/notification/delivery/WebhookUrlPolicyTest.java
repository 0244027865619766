package dev.storefront.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlPolicyTest {

  private final WebhookUrlPolicy strict = new WebhookUrlPolicy(false);
  private final WebhookUrlPolicy lenient = new WebhookUrlPolicy(true);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://hooks.example.com/storefront",
        "http://hooks.example.com:8080/in?token=abc",
        "HTTPS://Example.COM/",
        "https://93.184.216.34/hook",
        "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
        "https://localhost.example.com/",
        "https://cafe.be/"
      })
  void acceptsPublicAbsoluteHttpUrls(String url) {
    assertThat(strict.check(url)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.com/hook",
        "/relative/path",
        "example.com/hook",
        "mailto:someone@example.com",
        "javascript:alert(1)",
        "https:///no-host",
        "https://exa mple.com/",
        "http://user:password@example.com/hook",
        ""
      })
  void refusesWhatIsNotAnAbsoluteHttpUrlWithAHost(String url) {
    assertThat(strict.check(url)).isPresent();
    assertThat(lenient.check(url)).as("even when private targets are allowed").isPresent();
  }

  @Test
  void refusesUrlsLongerThan2048Characters() {
    String base = "https://example.com/";
    String fits = base + "a".repeat(2048 - base.length());
    assertThat(strict.check(fits)).isEmpty();
    assertThat(strict.check(fits + "a")).hasValueSatisfying(p -> assertThat(p).contains("2048"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost/hook",
        "http://LOCALHOST:8080/hook",
        "http://localhost./hook",
        "http://api.localhost/hook",
        "http://127.0.0.1/hook",
        "http://127.1.2.3:9000/hook",
        "http://2130706433/hook",
        "http://0x7f000001/hook",
        "http://0177.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://172.31.255.255/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://0/hook",
        "http://224.0.0.1/hook",
        "http://[::1]/hook",
        "http://[::]/hook",
        "http://[fe80::1]/hook",
        "http://[fc00::1]/hook",
        "http://[fd12:3456::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://[::127.0.0.1]/hook"
      })
  void refusesLocalhostAndLoopbackPrivateOrLinkLocalLiterals(String url) {
    assertThat(strict.check(url)).as(url).isPresent();
    assertThat(lenient.check(url)).as(url + " allowed in development").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.1/hook", "http://0x7f.1/hook", "https://1.2.3.4.5/"})
  void hostsThatAreNeitherANameNorAFullAddressAreRefusedInAnyMode(String url) {
    // java.net.URI reads no host in these; a resolver might read 127.0.0.1 in the first two.
    assertThat(strict.check(url)).isPresent();
    assertThat(lenient.check(url)).isPresent();
  }

  @Test
  void addressesJustOutsideThePrivateRangesAreFine() {
    assertThat(strict.check("http://172.15.255.255/")).isEmpty();
    assertThat(strict.check("http://172.32.0.1/")).isEmpty();
    assertThat(strict.check("http://100.128.0.1/")).isEmpty();
    assertThat(strict.check("http://11.0.0.1/")).isEmpty();
    assertThat(strict.check("http://192.169.0.1/")).isEmpty();
  }

  @Test
  void aNumericHostThatIsNoAddressIsRefused() {
    assertThat(strict.check("http://256.1.1.1/")).isPresent();
    assertThat(strict.check("http://1.2.3.256/")).isPresent();
    assertThat(strict.check("http://4294967296/")).isPresent();
    assertThat(strict.check("http://08.1.1.1/")).isPresent();
  }

  @Test
  void readsNumericHostsTheWayResolversDo() throws Exception {
    assertThat(WebhookUrlPolicy.literal("2130706433"))
        .hasValueSatisfying(a -> assertThat(a.getHostAddress()).isEqualTo("127.0.0.1"));
    assertThat(WebhookUrlPolicy.literal("10.1"))
        .hasValueSatisfying(a -> assertThat(a.getHostAddress()).isEqualTo("10.0.0.1"));
    assertThat(WebhookUrlPolicy.literal("192.168.257"))
        .hasValueSatisfying(a -> assertThat(a.getHostAddress()).isEqualTo("192.168.1.1"));
    assertThat(WebhookUrlPolicy.literal("0xc0.0250.1.1"))
        .hasValueSatisfying(a -> assertThat(a.getHostAddress()).isEqualTo("192.168.1.1"));
    assertThat(WebhookUrlPolicy.literal("example.com")).isEmpty();
  }
}
