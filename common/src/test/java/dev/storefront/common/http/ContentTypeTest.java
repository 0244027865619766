package dev.storefront.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypeTest {

  @Test
  void readsTypeSubtypeAndParametersCaseInsensitively() {
    ContentType type =
        ContentType.parse("Application/JSON ; Charset=UTF-8;  profile=\"a \\\"b\\\"\"");
    assertThat(type.type()).isEqualTo("application");
    assertThat(type.subtype()).isEqualTo("json");
    assertThat(type.parameters()).isEqualTo(Map.of("charset", "UTF-8", "profile", "a \"b\""));
    assertThat(type.charset()).isEqualTo("UTF-8");
    assertThat(type.isJson()).isTrue();
    assertThat(ContentType.parse("application/problem+json").isJson()).isTrue();
    assertThat(ContentType.parse("text/plain").isJson()).isFalse();
    assertThat(ContentType.parse("application/jsonx").isJson()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "application/json;",
        "application/json; ; charset=utf-8",
        "  application/json  ",
        "multipart/form-data; boundary=\"simple boundary\"",
        "application/json; boundary=\"\""
      })
  void acceptsWhatTheGrammarAllows(String header) {
    assertThat(ContentType.parse(header)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json; boundary=\"",
        "application/json;charset=\"utf-8",
        "application/json; charset=\"a\\",
        "application/json; a",
        "application/json; a=",
        "application/json; =b",
        "application/json; charset=utf-8; charset=latin1",
        "application/json charset=utf-8",
        "application/json; a=b c",
        "application/json; a=\"x\"y",
        ";;;=",
        "",
        "application",
        "application/",
        "/json",
        "appli cation/json",
        "application/json; a=\"\u0001\""
      })
  void refusesWhatItDoesNot(String header) {
    assertThat(ContentType.parse(header)).isNull();
  }
}
