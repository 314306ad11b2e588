package dev.agentexecutor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Structured output, context and MCP settings, and which variables a job may name as headers. */
class AgentSettingsTest {
  @Test
  void defaultsAllowNoHeaderVariable() {
    Settings.AgentSettings agent = Settings.from(Map.of("SEARCH_TOKEN", "s3cret")).agent();

    assertThat(agent.structuredOutputMaxRetries()).isEqualTo(2);
    assertThat(agent.largeToolResultChars()).isEqualTo(80_000);
    assertThat(agent.mcpTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(agent.mcpHeaderValues()).isEmpty();
  }

  @Test
  void namesAndPrefixesAllowVariablesButNeverTheServicesOwn() {
    Settings settings =
        Settings.from(
            Map.of(
                "MCP_HEADER_ENV_ALLOWED", "SEARCH_TOKEN, MCP_*, DATABASE_*, OPENAI_API_KEY",
                "SEARCH_TOKEN", "s3cret-search",
                "MCP_WEATHER_KEY", "s3cret-weather",
                "DATABASE_URL", "postgresql://u:p@db/x",
                "OPENAI_API_KEY", "sk-service-key-0123456789",
                "MCP_TIMEOUT_SECONDS", "5"));

    assertThat(settings.agent().mcpHeaderValues())
        .containsEntry("SEARCH_TOKEN", "s3cret-search")
        .containsEntry("MCP_WEATHER_KEY", "s3cret-weather")
        .doesNotContainKeys("DATABASE_URL", "OPENAI_API_KEY", "MCP_TIMEOUT_SECONDS");
    assertThat(settings.secretValues()).contains("s3cret-search", "s3cret-weather");
    assertThat(settings.toString()).doesNotContain("s3cret");
  }

  @Test
  void aMalformedEntryOrABareStarFailsStartUpNamingIt() {
    assertThatThrownBy(() -> Settings.from(Map.of("MCP_HEADER_ENV_ALLOWED", "BAD-NAME")))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("MCP_HEADER_ENV_ALLOWED: 'BAD-NAME'");
    assertThatThrownBy(() -> Settings.from(Map.of("MCP_HEADER_ENV_ALLOWED", "*")))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("MCP_HEADER_ENV_ALLOWED: '*'");
  }
}
