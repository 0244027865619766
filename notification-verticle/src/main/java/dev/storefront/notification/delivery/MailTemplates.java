package dev.storefront.notification.delivery;

import dev.storefront.notification.delivery.TemplateRenderer.Escaping;
import dev.storefront.notification.model.NotificationKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The e-mail of each notification kind, from the class path: {@code templates/<kind>.subject.txt},
 * {@code templates/<kind>.txt} (the text/plain part) and {@code templates/<kind>.html}. They may
 * use the names of {@link #NAMES}; loading fails on a missing template or an unknown name, so a
 * broken template stops the service from starting instead of an e-mail from leaving.
 */
public final class MailTemplates {

  /** What a template may use: see {@link EmailSender} for where each comes from. */
  public static final Set<String> NAMES = Set.of("title", "body", "orderRef", "orderId", "amount");

  /** An e-mail ready to send. */
  public record RenderedMail(String subject, String text, String html) {}

  private record Template(String subject, String text, String html) {}

  private final Map<NotificationKind, Template> templates;

  private MailTemplates(Map<NotificationKind, Template> templates) {
    this.templates = templates;
  }

  /** Reads every kind's templates; blocking, so call it off the event loop. */
  public static MailTemplates load() {
    Map<NotificationKind, Template> templates = new EnumMap<>(NotificationKind.class);
    for (NotificationKind kind : NotificationKind.values()) {
      String base = "templates/" + kind.wireName();
      templates.put(
          kind,
          new Template(
              read(base + ".subject.txt").strip(), read(base + ".txt"), read(base + ".html")));
    }
    return new MailTemplates(templates);
  }

  public RenderedMail render(NotificationKind kind, Map<String, String> values) {
    Template template = templates.get(kind);
    return new RenderedMail(
        TemplateRenderer.render(template.subject(), values, Escaping.HEADER),
        TemplateRenderer.render(template.text(), values, Escaping.TEXT),
        TemplateRenderer.render(template.html(), values, Escaping.HTML));
  }

  private static String read(String resource) {
    try (InputStream in = MailTemplates.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the mail template " + resource + " is missing");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String name : TemplateRenderer.placeholders(text)) {
        if (!NAMES.contains(name)) {
          throw new IllegalStateException(
              "the mail template " + resource + " uses {{" + name + "}}, not one of " + NAMES);
        }
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the mail template " + resource, e);
    }
  }
}
