package dev.storefront.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.notification.delivery.MailTemplates.RenderedMail;
import dev.storefront.notification.model.NotificationKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MailTemplatesTest {

  private static final Map<String, String> VALUES =
      Map.of(
          "title", "Order <confirmed>",
          "body", "Your order A1B2C3D4 (49.98 EUR) is \"confirmed\" & on its way.",
          "orderRef", "A1B2C3D4",
          "orderId", "a1b2c3d4-0000-4000-8000-000000000000",
          "amount", "49.98 EUR");

  @Test
  void everyKindHasASubjectATextAndAnHtmlPartCarryingTheNotification() {
    MailTemplates templates = MailTemplates.load();
    for (NotificationKind kind : NotificationKind.values()) {
      RenderedMail mail = templates.render(kind, VALUES);
      assertThat(mail.subject()).as(kind + " subject").contains("A1B2C3D4").doesNotContain("\n");
      assertThat(mail.text())
          .as(kind + " text")
          .contains("Your order A1B2C3D4 (49.98 EUR) is \"confirmed\" & on its way.")
          .contains("49.98 EUR")
          .doesNotContain("{{");
      assertThat(mail.html())
          .as(kind + " html")
          .contains("Your order A1B2C3D4 (49.98 EUR) is &quot;confirmed&quot; &amp; on its way.")
          .contains("Order &lt;confirmed&gt;")
          .doesNotContain("Order <confirmed>")
          .doesNotContain("{{")
          .startsWith("<!DOCTYPE html>");
    }
  }

  @Test
  void theKindsSayDifferentThings() {
    MailTemplates templates = MailTemplates.load();
    assertThat(templates.render(NotificationKind.ORDER_CONFIRMED, VALUES).subject())
        .containsIgnoringCase("confirmed");
    assertThat(templates.render(NotificationKind.PAYMENT_FAILED, VALUES).subject())
        .containsIgnoringCase("payment")
        .containsIgnoringCase("failed");
    assertThat(templates.render(NotificationKind.ORDER_CANCELLED, VALUES).subject())
        .containsIgnoringCase("cancelled");
    assertThat(templates.render(NotificationKind.PAYMENT_REFUNDED, VALUES).subject())
        .containsIgnoringCase("refund");
  }
}
