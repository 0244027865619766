package dev.storefront.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.storefront.common.http.ProblemException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResumePointTest {

  @Test
  void theHeaderGivesTheNumberToResumeAfter() {
    assertThat(ResumePoint.parse("17", null)).isEqualTo(OptionalLong.of(17));
  }

  @Test
  void theQueryParameterServesAFirstConnection() {
    assertThat(ResumePoint.parse(null, "5")).isEqualTo(OptionalLong.of(5));
  }

  @Test
  void theHeaderWinsOverTheQueryParameter() {
    assertThat(ResumePoint.parse("9", "3")).isEqualTo(OptionalLong.of(9));
  }

  @Test
  void zeroMeansFromTheVeryFirstNotification() {
    assertThat(ResumePoint.parse("0", null)).isEqualTo(OptionalLong.of(0));
  }

  @Test
  void neitherMeansNoResumePoint() {
    assertThat(ResumePoint.parse(null, null)).isEmpty();
  }

  @Test
  void blankValuesCountAsAbsent() {
    assertThat(ResumePoint.parse("  ", null)).isEmpty();
    assertThat(ResumePoint.parse("", "4")).isEqualTo(OptionalLong.of(4));
  }

  @Test
  void surroundingSpacesAreTolerated() {
    assertThat(ResumePoint.parse(" 12 ", null)).isEqualTo(OptionalLong.of(12));
  }

  @Test
  void theLargestIdIsAccepted() {
    assertThat(ResumePoint.parse("9223372036854775807", null))
        .isEqualTo(OptionalLong.of(Long.MAX_VALUE));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1",
        "+1",
        "1.5",
        "1e3",
        "0x10",
        "abc",
        "7d3c1a4e-8f1b-4a55-9c7e-2b1f3e4d5a6b",
        "1 2",
        "9223372036854775808",
        "99999999999999999999"
      })
  void anythingButAWholeNumberFromZeroIsABadRequest(String value) {
    ProblemException header =
        catchThrowableOfType(ProblemException.class, () -> ResumePoint.parse(value, null));
    ProblemException query =
        catchThrowableOfType(ProblemException.class, () -> ResumePoint.parse(null, value));

    assertThat(header.status()).isEqualTo(400);
    assertThat(header.detail()).contains("Last-Event-ID");
    assertThat(query.status()).isEqualTo(400);
    assertThat(query.detail()).contains("after");
  }

  @Test
  void anInvalidHeaderIsRefusedEvenWithAValidQueryParameter() {
    ProblemException problem =
        catchThrowableOfType(ProblemException.class, () -> ResumePoint.parse("x", "3"));

    assertThat(problem.status()).isEqualTo(400);
  }
}
