package dev.agentexecutor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.core.state.StateLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of issue 9's limits: tool call time, state sizes and the script directory. */
class HardeningSettingsTest {
  @Test
  void theDefaultsBoundToolCallsAndStateSizes() {
    Settings.Limits limits = Settings.from(Map.of()).limits();

    assertThat(limits.toolCallTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(limits.state())
        .isEqualTo(new StateLimits(1_048_576, 1000, 16_777_216, 100_000, 1_048_576));
    assertThat(limits.state()).isEqualTo(StateLimits.DEFAULTS);
    assertThat(Settings.from(Map.of()).model().scriptDirectory()).isEmpty();
  }

  @Test
  void everyLimitCanBeSet(@TempDir Path scripts) throws Exception {
    Settings settings =
        Settings.from(
            Map.of(
                "TOOL_CALL_TIMEOUT_SECONDS",
                "5",
                "MAX_FILE_CHARS",
                "1000",
                "MAX_FILES",
                "20",
                "MAX_FILES_TOTAL_CHARS",
                "5000",
                "MAX_TOOL_RESULT_CHARS",
                "300",
                "MAX_MESSAGE_CHARS",
                "2000",
                "SCRIPTED_SCRIPT_DIR",
                scripts.toString()));

    assertThat(settings.limits().toolCallTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.limits().state()).isEqualTo(new StateLimits(1000, 20, 5000, 300, 2000));
    assertThat(settings.model().scriptDirectory()).contains(scripts.toRealPath());
  }

  @Test
  void badValuesAreReportedNamingTheirVariables() {
    assertThatThrownBy(
            () ->
                Settings.from(
                    Map.of(
                        "MAX_FILE_CHARS",
                        "5000",
                        "MAX_FILES_TOTAL_CHARS",
                        "1000",
                        "MAX_MESSAGE_CHARS",
                        "99999999",
                        "TOOL_CALL_TIMEOUT_SECONDS",
                        "0",
                        "SCRIPTED_SCRIPT_DIR",
                        "/no/such/directory")))
        .isInstanceOfSatisfying(
            InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "MAX_MESSAGE_CHARS: 99999999 is out of range [1000, 16777216]",
                        "TOOL_CALL_TIMEOUT_SECONDS: 0 is out of range [1, 31536000]",
                        "SCRIPTED_SCRIPT_DIR: '/no/such/directory' is not an existing directory",
                        "MAX_FILE_CHARS (5000) must not exceed MAX_FILES_TOTAL_CHARS (1000)"));
  }

  @Test
  void theRunCommandReadsScriptFilesFromItsDirectoryUnlessOneIsSet(@TempDir Path scripts)
      throws Exception {
    Path here = Path.of("").toAbsolutePath();

    assertThat(Settings.from(Map.of()).withDefaultScriptDirectory(here).model().scriptDirectory())
        .contains(here);
    assertThat(
            Settings.from(Map.of("SCRIPTED_SCRIPT_DIR", scripts.toString()))
                .withDefaultScriptDirectory(here)
                .model()
                .scriptDirectory())
        .contains(scripts.toRealPath());
  }
}
