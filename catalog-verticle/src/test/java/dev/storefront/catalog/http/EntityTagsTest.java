package dev.storefront.catalog.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.common.http.ProblemException;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class EntityTagsTest {

  @Test
  void theTagIsTheQuotedVersion() {
    assertThat(EntityTags.of(7)).isEqualTo("\"7\"");
  }

  @Test
  void ifMatchComparesStrongly() {
    IntPredicate matches = EntityTags.ifMatch("\"3\"");

    assertThat(matches.test(3)).isTrue();
    assertThat(matches.test(4)).isFalse();
    // A weak tag never satisfies If-Match (RFC 9110 §13.1.1).
    assertThat(EntityTags.ifMatch("W/\"3\"").test(3)).isFalse();
  }

  @Test
  void ifMatchTakesAListOrAStar() {
    IntPredicate list = EntityTags.ifMatch(" \"1\" , \"5\",\"9\"");

    assertThat(list.test(5)).isTrue();
    assertThat(list.test(9)).isTrue();
    assertThat(list.test(2)).isFalse();
    assertThat(EntityTags.ifMatch("*").test(42)).isTrue();
  }

  @Test
  void aMissingIfMatchIs428() {
    assertThatThrownBy(() -> EntityTags.ifMatch(null))
        .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(428));
  }

  @Test
  void malformedTagsAre400() {
    for (String bad : new String[] {"3", "\"3", "\"3\" \"4\"", "", "W/3", "\"3\",,"}) {
      assertThatThrownBy(() -> EntityTags.ifMatch(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              ProblemException.class, p -> assertThat(p.status()).isEqualTo(400));
    }
  }

  @Test
  void ifNoneMatchComparesWeakly() {
    assertThat(EntityTags.notModified("\"3\"", 3)).isTrue();
    assertThat(EntityTags.notModified("W/\"3\"", 3)).isTrue();
    assertThat(EntityTags.notModified("\"2\", \"3\"", 3)).isTrue();
    assertThat(EntityTags.notModified("*", 3)).isTrue();
    assertThat(EntityTags.notModified("\"2\"", 3)).isFalse();
    assertThat(EntityTags.notModified(null, 3)).isFalse();
  }
}
