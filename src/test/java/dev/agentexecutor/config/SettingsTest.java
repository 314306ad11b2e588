package dev.agentexecutor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.util.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static Set<String> declared() throws Exception {
    try (InputStream in = SettingsTest.class.getResourceAsStream("/env-vars.json")) {
      Set<String> names = new LinkedHashSet<>();
      for (JsonNode variable : Json.MAPPER.readTree(in).path("variables"))
        names.add(variable.path("name").asText());
      return names;
    }
  }

  private static void rejects(Map<String, String> env, String... messageParts) {
    assertThatThrownBy(() -> Settings.from(env))
        .isInstanceOfSatisfying(
            InvalidSettingsException.class,
            e -> {
              for (String part : messageParts) assertThat(e.getMessage()).contains(part);
            });
  }

  @Test
  void theDefaultsDescribeAnEmbeddedServiceWithTheSpecsLimits() {
    Settings settings = Settings.from(Map.of());

    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.maxPayloadBytes()).isEqualTo(1_048_576);
    assertThat(settings.logLevel()).isEqualTo("INFO");
    assertThat(settings.logFormat()).isEqualTo("json");
    assertThat(settings.otlpEndpoint()).isEmpty();
    assertThat(settings.model().defaultProvider()).isEqualTo("openai");
    assertThat(settings.model().defaultModel()).isEqualTo("gpt-4o-mini");
    assertThat(settings.model().openAiBaseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(settings.model().maxRetries()).isEqualTo(5);
    assertThat(settings.limits())
        .isEqualTo(
            new Settings.Limits(
                200,
                Duration.ofHours(1),
                Optional.empty(),
                170_000,
                6,
                Duration.ofSeconds(30),
                Duration.ofHours(24),
                Duration.ofMinutes(10)));
    assertThat(settings.postgres()).isEmpty();
    assertThat(settings.redis()).isEmpty();
    assertThat(settings.nats()).isEmpty();
  }

  @Test
  void readsTheEnvironmentTrimmedAndTreatsBlankAsUnset() {
    Settings settings =
        Settings.from(
            Map.of(
                "PORT",
                " 9090 ",
                "LOG_LEVEL",
                "debug",
                "TOKEN_BUDGET",
                "5000",
                "LLM_MODEL_NAME",
                "  ",
                "MAX_STEPS",
                "7",
                "LLM_PROVIDER",
                "Scripted"));

    assertThat(settings.port()).isEqualTo(9090);
    assertThat(settings.logLevel()).isEqualTo("DEBUG");
    assertThat(settings.limits().tokenBudget()).contains(5000L);
    assertThat(settings.model().defaultModel()).isEqualTo("gpt-4o-mini");
    assertThat(settings.limits().maxSteps()).isEqualTo(7);
    assertThat(settings.model().defaultProvider()).isEqualTo("scripted");
  }

  @Test
  void everyVariableReadIsDeclaredAndEveryDeclaredVariableIsRead() throws Exception {
    Set<String> read = new HashSet<>(SettingsLoader.variablesRead(Map.of()));
    read.addAll(
        SettingsLoader.variablesRead(
            Map.of(
                "DATABASE_URL",
                "postgresql://h/db",
                "REDIS_URL",
                "redis://h:6379",
                "NATS_URL",
                "nats://h:4222")));
    read.addAll(
        SettingsLoader.variablesRead(
            Map.of("POSTGRES_HOST", "h", "DRAGONFLY_HOST", "h", "NATS_URL", "nats://h:4222")));

    assertThat(read).containsExactlyInAnyOrderElementsOf(declared());
  }

  @Test
  void theLoadersSourceNamesOnlyDeclaredVariables() throws Exception {
    String source =
        Files.readString(Path.of("src/main/java/dev/agentexecutor/config/SettingsLoader.java"));
    Matcher literal =
        Pattern.compile(
                "\\b(?:text|optional|intIn|longIn|seconds|oneOf|bool|parseLong)\\(\"([A-Z][A-Z0-9_]*)\"")
            .matcher(source);
    Set<String> named = new HashSet<>();
    while (literal.find()) named.add(literal.group(1));

    assertThat(named).hasSizeGreaterThan(40);
    assertThat(named).containsExactlyInAnyOrderElementsOf(declared());
  }

  @Test
  void invalidValuesAreAllReportedNamingTheirVariables() {
    rejects(
        Map.of(
            "PORT",
            "eighty",
            "MAX_STEPS",
            "0",
            "LOG_FORMAT",
            "xml",
            "NATS_URL",
            "nats://h",
            "NATS_CREATE_STREAMS",
            "maybe",
            "RUN_TIMEOUT_SECONDS",
            "-5",
            "SUMMARIZATION_TOKEN_THRESHOLD",
            "10",
            "LLM_PROVIDER",
            "gemini"),
        "PORT: 'eighty' is not a whole number",
        "MAX_STEPS: 0 is out of range [1, 1000000]",
        "LOG_FORMAT: 'xml' is not one of json, text",
        "NATS_CREATE_STREAMS: 'maybe' is not true or false",
        "RUN_TIMEOUT_SECONDS: -5 is out of range",
        "SUMMARIZATION_TOKEN_THRESHOLD: 10 is out of range",
        "LLM_PROVIDER: 'gemini' is not one of openai, anthropic, scripted");
    assertThatThrownBy(() -> Settings.from(Map.of("PORT", "x", "MAX_STEPS", "y")))
        .isInstanceOfSatisfying(
            InvalidSettingsException.class, e -> assertThat(e.problems()).hasSize(2));
  }

  @Test
  void theRunViewerIsOnByDefaultAndTurnedOffByUiEnabledFalse() {
    assertThat(Settings.from(Map.of()).uiEnabled()).isTrue();
    assertThat(Settings.from(Map.of("UI_ENABLED", "false")).uiEnabled()).isFalse();
    rejects(Map.of("UI_ENABLED", "off"), "UI_ENABLED: 'off' is not true or false");
  }

  @Test
  void theInitialRetryBackoffMayNotExceedTheLongest() {
    rejects(
        Map.of("MODEL_RETRY_INITIAL_BACKOFF_MS", "5000", "MODEL_RETRY_MAX_BACKOFF_MS", "1000"),
        "MODEL_RETRY_INITIAL_BACKOFF_MS (5000) must not exceed MODEL_RETRY_MAX_BACKOFF_MS (1000)");
  }

  @Test
  void httpToolAllowedHostsTakesHostsDomainsStarAndCidrBlocksAndNamesABadEntry() {
    assertThat(
            Settings.from(
                    Map.of(
                        "HTTP_TOOL_ALLOWED_HOSTS",
                        "api.example.com, .corp.example,*,10.0.0.0/8,[::1],fc00::/7"))
                .httpToolAllowedHosts())
        .containsExactly(
            "api.example.com", ".corp.example", "*", "10.0.0.0/8", "[::1]", "fc00::/7");
    rejects(
        Map.of("HTTP_TOOL_ALLOWED_HOSTS", "ok.example,10.0.0.0/40"),
        "HTTP_TOOL_ALLOWED_HOSTS",
        "10.0.0.0/40",
        "prefix");
  }

  @Test
  void aDatabaseUrlBecomesAJdbcUrlWithCredentials() {
    Settings.Postgres postgres =
        Settings.from(
                Map.of(
                    "DATABASE_URL",
                    "postgresql://app:s%40cret@db.internal:5433/jobs?sslmode=require"))
            .postgres()
            .orElseThrow();

    assertThat(postgres.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.internal:5433/jobs?sslmode=require");
    assertThat(postgres.user()).isEqualTo("app");
    assertThat(postgres.password()).isEqualTo("s@cret");
    assertThat(postgres.schema()).isEqualTo("agent_executor");
  }

  @Test
  void aDatabaseUrlWinsOverPostgresVariablesAndDefaultsItsPort() {
    Settings.Postgres postgres =
        Settings.from(
                Map.of(
                    "DATABASE_URL",
                    "postgres://u:p@db/x",
                    "POSTGRES_HOST",
                    "other",
                    "POSTGRES_USER",
                    "ignored"))
            .postgres()
            .orElseThrow();

    assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x");
    assertThat(postgres.user()).isEqualTo("u");
  }

  @Test
  void postgresVariablesBuildTheJdbcUrlWithoutADatabaseUrl() {
    Settings.Postgres postgres =
        Settings.from(
                Map.of(
                    "POSTGRES_HOST",
                    "pg",
                    "POSTGRES_PORT",
                    "6543",
                    "POSTGRES_DB",
                    "agents",
                    "POSTGRES_USER",
                    "svc",
                    "POSTGRES_PASSWORD",
                    "pw"))
            .postgres()
            .orElseThrow();

    assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://pg:6543/agents");
    assertThat(postgres.user()).isEqualTo("svc");
    assertThat(postgres.password()).isEqualTo("pw");
  }

  @Test
  void anUnusableDatabaseUrlIsReportedWithoutRepeatingIt() {
    rejects(Map.of("DATABASE_URL", "mysql://u:p@h/db"), "DATABASE_URL: scheme must be");
    rejects(
        Map.of("DATABASE_URL", "postgresql://u:p@bad_host/db"),
        "DATABASE_URL: has no valid host name");
    assertThatThrownBy(
            () -> Settings.from(Map.of("DATABASE_URL", "postgresql://u:topsecret@h b/db")))
        .hasMessageContaining("DATABASE_URL: not a valid URL")
        .message()
        .doesNotContain("topsecret");
    rejects(Map.of("POSTGRES_HOST", "h", "POSTGRES_SCHEMA", "x; drop"), "POSTGRES_SCHEMA");
  }

  @Test
  void aRedisUrlWinsOverDragonflyVariables() {
    Settings.Redis redis =
        Settings.from(Map.of("REDIS_URL", "redis://:pw@cache:6380/2", "DRAGONFLY_HOST", "df"))
            .redis()
            .orElseThrow();

    assertThat(redis.uri()).isEqualTo("redis://:pw@cache:6380/2");
  }

  @Test
  void dragonflyVariablesBuildARedisUriWithAnEncodedPassword() {
    Settings.Redis redis =
        Settings.from(
                Map.of(
                    "DRAGONFLY_HOST",
                    "df",
                    "DRAGONFLY_PORT",
                    "6390",
                    "DRAGONFLY_PASSWORD",
                    "p@ss word"))
            .redis()
            .orElseThrow();

    assertThat(redis.uri()).isEqualTo("redis://:p%40ss%20word@df:6390");
    assertThat(redis.streamMaxLen()).isEqualTo(10_000);
    assertThat(redis.streamTtl()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aRedisUrlMustBeRedis() {
    rejects(
        Map.of("REDIS_URL", "http://cache"), "REDIS_URL: must start with redis:// or rediss://");
  }

  @Test
  void readsNatsOnlyWithAUrl() {
    Settings.Nats nats =
        Settings.from(Map.of("NATS_URL", "nats://n:4222", "MAX_CONCURRENT_JOBS", "2"))
            .nats()
            .orElseThrow();

    assertThat(nats.streamName()).isEqualTo("AGENT_EXECUTION");
    assertThat(nats.subject()).isEqualTo("agent.execute.*");
    assertThat(nats.createStreams()).isTrue();
    assertThat(nats.maxConcurrentJobs()).isEqualTo(2);
  }

  @Test
  void secretsNeverAppearInToString() {
    Settings settings =
        Settings.from(
            Map.of(
                "OPENAI_API_KEY",
                "sk-openai-SECRET1",
                "ANTHROPIC_API_KEY",
                "sk-ant-SECRET2",
                "DATABASE_URL",
                "postgresql://u:SECRET3@db/x",
                "REDIS_URL",
                "redis://user:SECRET4@cache:6379",
                "NATS_URL",
                "nats://bot:SECRET5@n:4222"));

    String text = settings.toString();

    assertThat(text)
        .doesNotContain("SECRET")
        .contains("openAiKey=set")
        .contains("anthropicKey=set")
        .contains("//***@cache");
    assertThat(
            Settings.from(Map.of("DATABASE_URL", "jdbc:postgresql://db/x?user=u&password=SECRET6"))
                .toString())
        .doesNotContain("SECRET6");
    assertThat(Settings.from(Map.of()).model().toString()).contains("openAiKey=unset");
  }
}
