package dev.agentexecutor.model.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which events inside a successful stream are errors, and which of those are worth retrying. */
class StreamErrorDetectorTest {
  @ParameterizedTest(name = "{0} -> retryable {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"error\":{\"type\":\"server_error\",\"message\":\"x\"}}|true|0",
        "{\"error\":{\"type\":\"requests\",\"code\":\"rate_limit_exceeded\",\"message\":\"x\"}}|true|0",
        "{\"error\":{\"message\":\"x\",\"code\":429}}|true|429",
        "{\"error\":{\"message\":\"x\",\"code\":503}}|true|503",
        "{\"error\":{\"message\":\"x\",\"status\":502}}|true|502",
        "{\"error\":{\"type\":\"insufficient_quota\",\"message\":\"x\"}}|false|0",
        "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}|false|0",
        "{\"error\":{\"message\":\"x\",\"code\":400}}|false|400",
        "{\"error\":\"something broke\"}|false|0",
        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal\"}}|true|0"
      })
  void anErrorObjectIsAnErrorRetryableWhenItNamesATransientFault(
      String data, boolean retryable, int status) {
    ModelAnswerException error = StreamErrorDetector.errorIn(null, data).orElseThrow();

    assertThat(error.retryable()).isEqualTo(retryable);
    assertThat(error.status()).isEqualTo(status);
    assertThat(error.kind()).isEqualTo("error in the stream");
  }

  @Test
  void anthropicErrorEventsAreErrorsEvenWhenTheirDataIsNotJson() {
    assertThat(
            StreamErrorDetector.errorIn(
                "error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
        .hasValueSatisfying(
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).isEqualTo("overloaded_error: Overloaded");
            });
    assertThat(StreamErrorDetector.errorIn("error", "gateway exploded"))
        .hasValueSatisfying(e -> assertThat(e.getMessage()).isEqualTo("gateway exploded"));
  }

  @Test
  void ordinaryEventsAreNotErrors() {
    assertThat(StreamErrorDetector.errorIn(null, "[DONE]")).isEmpty();
    assertThat(
            StreamErrorDetector.errorIn(
                null, "{\"choices\":[{\"delta\":{\"content\":\"the \\\"error\\\" word\"}}]}"))
        .isEmpty();
    assertThat(
            StreamErrorDetector.errorIn(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"delta\":{\"text\":\"x\"}}"))
        .isEmpty();
    assertThat(StreamErrorDetector.errorIn(null, "{\"error\":null,\"choices\":[]}")).isEmpty();
  }
}
