package dev.storefront.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SseFramesTest {

  @Test
  void anEventCarriesItsIdNameAndDataThenABlankLine() {
    String frame = SseFrames.event(42, "notification", "{\"id\":42}").toString();

    assertThat(frame).isEqualTo("id: 42\nevent: notification\ndata: {\"id\":42}\n\n");
  }

  @Test
  void dataSpanningLinesBecomesOneDataLinePerLineWhateverTheLineBreak() {
    String frame = SseFrames.event(7, "notification", "first\nsecond\r\nthird\rfourth").toString();

    assertThat(frame)
        .isEqualTo(
            "id: 7\nevent: notification\n"
                + "data: first\ndata: second\ndata: third\ndata: fourth\n\n");
    // No bare CR survives: a client would take it for a line end inside a field.
    assertThat(frame).doesNotContain("\r");
  }

  @Test
  void emptyLinesInDataAreKeptSoTheClientRejoinsTheSameText() {
    String frame = SseFrames.event(1, "notification", "\nmiddle\n").toString();

    assertThat(frame).isEqualTo("id: 1\nevent: notification\ndata: \ndata: middle\ndata: \n\n");
  }

  @Test
  void aNotificationsJsonIsOneDataLineEvenWhenItsTextHasLineBreaks() {
    JsonObject notification =
        new JsonObject().put("id", 3).put("body", "line one\nline two\r\nend");
    String frame = SseFrames.event(3, "notification", notification.encode()).toString();

    String[] lines = frame.split("\n", -1);
    assertThat(lines).containsExactly("id: 3", "event: notification", lines[2], "", "");
    assertThat(lines[2]).startsWith("data: ");
    assertThat(new JsonObject(lines[2].substring("data: ".length()))).isEqualTo(notification);
  }

  @Test
  void idsAreWrittenInFullAsDecimalNumbers() {
    assertThat(SseFrames.event(Long.MAX_VALUE, "notification", "x").toString())
        .startsWith("id: 9223372036854775807\n");
  }

  @Test
  void commentsAndTheRetryFieldAreTheirOwnFrames() {
    assertThat(SseFrames.comment("keep-alive").toString()).isEqualTo(": keep-alive\n\n");
    assertThat(SseFrames.retry(2000).toString()).isEqualTo("retry: 2000\n\n");
  }

  @Test
  void anEventNameOrCommentCannotSpanLines() {
    assertThatThrownBy(() -> SseFrames.event(1, "a\nb", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SseFrames.comment("a\rb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void textIsUtf8() {
    byte[] bytes = SseFrames.event(1, "notification", "Grüße €").getBytes();

    assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
        .contains("data: Grüße €\n");
  }
}
