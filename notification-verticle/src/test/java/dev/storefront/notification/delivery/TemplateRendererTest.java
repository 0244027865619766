package dev.storefront.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.notification.delivery.TemplateRenderer.Escaping;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

  @Test
  void replacesEveryPlaceholderWithItsValue() {
    String out =
        TemplateRenderer.render(
            "Order {{orderRef}}: {{ title }} / {{orderRef}}",
            Map.of("orderRef", "AB12CD34", "title", "Shipped"),
            Escaping.TEXT);
    assertThat(out).isEqualTo("Order AB12CD34: Shipped / AB12CD34");
  }

  @Test
  void htmlEscapesValuesInHtmlButNotTheTemplateItself() {
    String out =
        TemplateRenderer.render(
            "<p class=\"x\">{{body}}</p>",
            Map.of("body", "<script>alert('x')</script> & \"quoted\""),
            Escaping.HTML);
    assertThat(out)
        .isEqualTo(
            "<p class=\"x\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"
                + " &quot;quoted&quot;</p>");
  }

  @Test
  void plainTextKeepsValuesAsTheyAre() {
    assertThat(TemplateRenderer.render("{{body}}", Map.of("body", "<b>&</b>"), Escaping.TEXT))
        .isEqualTo("<b>&</b>");
  }

  @Test
  void headersFoldValuesOntoOneLine() {
    String out =
        TemplateRenderer.render(
            "Order {{title}}",
            Map.of("title", "x\r\nBcc: victim@example.com\n\tmore"),
            Escaping.HEADER);
    assertThat(out).isEqualTo("Order x Bcc: victim@example.com more").doesNotContain("\n", "\r");
  }

  @Test
  void valuesThatLookLikePlaceholdersOrReplacementSyntaxAreNotExpandedAgain() {
    String out =
        TemplateRenderer.render(
            "{{a}}|{{b}}", Map.of("a", "{{b}}", "b", "$1 \\ $0"), Escaping.TEXT);
    assertThat(out).isEqualTo("{{b}}|$1 \\ $0");
  }

  @Test
  void aPlaceholderWithoutAValueIsAnError() {
    assertThatThrownBy(() -> TemplateRenderer.render("Hi {{name}}", Map.of(), Escaping.TEXT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{{name}}");
  }

  @Test
  void listsTheNamesATemplateUses() {
    assertThat(TemplateRenderer.placeholders("{{a}} {{ b }} {{a}} {not} {{1x}}"))
        .containsExactly("a", "b");
  }
}
