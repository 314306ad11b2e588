package dev.agentexecutor.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds {@link Settings} from environment variables, collecting every problem before failing. */
final class SettingsLoader {
  /** Names and defaults of every variable, from env-vars.json (the one list, see its description). */
  static final Map<String, String> DEFAULTS = loadDefaults();

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();
  /** Every variable this load looked at, so that tests can hold it to env-vars.json. */
  private final Set<String> read = new LinkedHashSet<>();

  private SettingsLoader(Map<String, String> env) {
    this.env = env;
  }

  static Settings load(Map<String, String> env) {
    SettingsLoader loader = new SettingsLoader(env);
    Settings settings = loader.build();
    if (!loader.problems.isEmpty()) throw new InvalidSettingsException(loader.problems);
    return settings;
  }

  /** The variables a load with {@code env} reads (they differ with the backends configured). */
  static Set<String> variablesRead(Map<String, String> env) {
    SettingsLoader loader = new SettingsLoader(env);
    loader.build();
    return Set.copyOf(loader.read);
  }

  private Settings build() {
    Settings settings = new Settings(
        intIn("PORT", 0, 65535),
        longIn("MAX_PAYLOAD_BYTES", 1024, Long.MAX_VALUE),
        intIn("MAX_CONCURRENT_HTTP_JOBS", 1, 100_000),
        oneOf("LOG_LEVEL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"),
        oneOf("LOG_FORMAT", "json", "text"),
        optional("OTEL_EXPORTER_OTLP_ENDPOINT"),
        text("OTEL_SERVICE_NAME"),
        new Settings.ModelSettings(
            oneOf("LLM_PROVIDER", "openai", "anthropic", "scripted"),
            text("LLM_MODEL_NAME"),
            text("OPENAI_API_KEY"),
            text("OPENAI_BASE_URL"),
            text("ANTHROPIC_API_KEY"),
            text("ANTHROPIC_BASE_URL"),
            seconds("MODEL_TIMEOUT_SECONDS"),
            intIn("MODEL_MAX_RETRIES", 0, 100),
            Duration.ofMillis(longIn("MODEL_RETRY_INITIAL_BACKOFF_MS", 0, 3_600_000)),
            Duration.ofMillis(longIn("MODEL_RETRY_MAX_BACKOFF_MS", 0, 3_600_000))),
        new Settings.Limits(
            intIn("MAX_STEPS", 1, 1_000_000),
            seconds("RUN_TIMEOUT_SECONDS"),
            optional("TOKEN_BUDGET").map(v -> parseLong("TOKEN_BUDGET", v, 1, Long.MAX_VALUE)),
            longIn("SUMMARIZATION_TOKEN_THRESHOLD", 1000, Long.MAX_VALUE),
            intIn("SUMMARIZATION_KEEP_MESSAGES", 1, 10_000),
            seconds("HTTP_TOOL_TIMEOUT_SECONDS"),
            Duration.ofHours(longIn("RESULT_RETENTION_HOURS", 1, 100_000)),
            seconds("RETENTION_SWEEP_INTERVAL_SECONDS")),
        java.util.Arrays.stream(text("HTTP_TOOL_ALLOWED_HOSTS").split(",")).map(String::strip).filter(h -> !h.isEmpty()).toList(),
        seconds("STREAM_TTL_SECONDS"),
        postgres(),
        redis(),
        nats(),
        bool("UI_ENABLED"));
    Settings.ModelSettings model = settings.model();
    if (model.initialBackoff().compareTo(model.maxBackoff()) > 0) {
      problems.add("MODEL_RETRY_INITIAL_BACKOFF_MS (%d) must not exceed MODEL_RETRY_MAX_BACKOFF_MS (%d)"
          .formatted(model.initialBackoff().toMillis(), model.maxBackoff().toMillis()));
    }
    return settings;
  }

  private Optional<Settings.Postgres> postgres() {
    Optional<String> url = optional("DATABASE_URL");
    Optional<String> host = optional("POSTGRES_HOST");
    if (url.isEmpty() && host.isEmpty()) return Optional.empty();
    String jdbcUrl;
    String user = text("POSTGRES_USER");
    String password = text("POSTGRES_PASSWORD");
    String db = text("POSTGRES_DB");
    if (url.isPresent()) {
      JdbcTarget target = jdbcFromDatabaseUrl(url.get());
      jdbcUrl = target.jdbcUrl();
      if (target.user() != null) user = target.user();
      if (target.password() != null) password = target.password();
    } else {
      jdbcUrl = "jdbc:postgresql://%s:%d/%s".formatted(host.get(), intIn("POSTGRES_PORT", 1, 65535), db);
    }
    String schema = text("POSTGRES_SCHEMA");
    if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      problems.add("POSTGRES_SCHEMA: '" + schema + "' is not a plain SQL identifier (letters, digits, _)");
    }
    return Optional.of(
        new Settings.Postgres(
            jdbcUrl,
            user,
            password,
            schema,
            intIn("POSTGRES_POOL_SIZE", 1, 1000),
            bool("MIGRATE_ON_START"),
            bool("CHECKPOINT_SYNC_COMMIT"),
            Duration.ofHours(longIn("RESULT_RETENTION_HOURS", 1, 100_000)),
            seconds("RETENTION_SWEEP_INTERVAL_SECONDS")));
  }

  private record JdbcTarget(String jdbcUrl, String user, String password) {}

  private JdbcTarget jdbcFromDatabaseUrl(String url) {
    if (url.startsWith("jdbc:postgresql:")) return new JdbcTarget(url, null, null);
    try {
      URI uri = URI.create(url);
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
        problems.add("DATABASE_URL: scheme must be postgresql://, postgres:// or jdbc:postgresql:");
        return new JdbcTarget(url, null, null);
      }
      String user = null;
      String password = null;
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = decode(parts[0]);
        if (parts.length > 1) password = decode(parts[1]);
      }
      if (uri.getHost() == null) {
        problems.add("DATABASE_URL: has no valid host name (expected postgresql://user:password@host:port/database)");
        return new JdbcTarget(url, null, null);
      }
      int port = uri.getPort() < 0 ? 5432 : uri.getPort();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
      return new JdbcTarget(jdbc, user, password);
    } catch (IllegalArgumentException e) {
      problems.add("DATABASE_URL: not a valid URL (" + e.getMessage().replace(url, "<redacted>") + ")");
      return new JdbcTarget(url, null, null);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private Optional<Settings.Redis> redis() {
    Optional<String> url = optional("REDIS_URL");
    Optional<String> host = optional("DRAGONFLY_HOST");
    if (url.isEmpty() && host.isEmpty()) return Optional.empty();
    String uri;
    if (url.isPresent()) {
      uri = url.get();
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
        problems.add("REDIS_URL: must start with redis:// or rediss://");
      }
    } else {
      String password = text("DRAGONFLY_PASSWORD");
      // URLEncoder writes form encoding; a space must be %20 in a URI's user info.
      String auth = password.isEmpty() ? ""
          : ":" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20") + "@";
      uri = "redis://" + auth + host.get() + ":" + intIn("DRAGONFLY_PORT", 1, 65535);
    }
    return Optional.of(
        new Settings.Redis(
            uri,
            text("STREAM_KEY_PREFIX"),
            longIn("STREAM_MAXLEN", 10, Long.MAX_VALUE),
            seconds("STREAM_TTL_SECONDS")));
  }

  private Optional<Settings.Nats> nats() {
    Optional<String> url = optional("NATS_URL");
    if (url.isEmpty()) return Optional.empty();
    return Optional.of(
        new Settings.Nats(
            url.get(),
            text("NATS_STREAM_NAME"),
            text("NATS_SUBJECT"),
            text("NATS_CONSUMER_GROUP"),
            text("NATS_RESULT_STREAM_NAME"),
            text("NATS_RESULT_SUBJECT_PREFIX"),
            bool("NATS_CREATE_STREAMS"),
            seconds("NATS_ACK_WAIT_SECONDS"),
            intIn("NATS_MAX_DELIVER", 1, 1000),
            seconds("NATS_NAK_DELAY_SECONDS"),
            intIn("MAX_CONCURRENT_JOBS", 1, 10_000),
            seconds("DRAIN_TIMEOUT_SECONDS")));
  }

  // --- typed readers: each records a problem naming the variable instead of throwing ---

  private String text(String name) {
    if (!DEFAULTS.containsKey(name)) throw new IllegalStateException(name + " is not in env-vars.json");
    read.add(name);
    String value = env.get(name);
    return value == null || value.isBlank() ? DEFAULTS.get(name) : value.trim();
  }

  private Optional<String> optional(String name) {
    String value = text(name);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private int intIn(String name, int min, int max) {
    return (int) parseLong(name, text(name), min, max);
  }

  private long longIn(String name, long min, long max) {
    return parseLong(name, text(name), min, max);
  }

  private Duration seconds(String name) {
    return Duration.ofSeconds(parseLong(name, text(name), 1, 31_536_000));
  }

  private long parseLong(String name, String value, long min, long max) {
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        problems.add("%s: %d is out of range [%d, %d]".formatted(name, parsed, min, max));
        return min;
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(name + ": '" + value + "' is not a whole number");
      return min;
    }
  }

  private boolean bool(String name) {
    String value = text(name).toLowerCase(java.util.Locale.ROOT);
    return switch (value) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> {
        problems.add(name + ": '" + value + "' is not true or false");
        yield false;
      }
    };
  }

  private String oneOf(String name, String... allowed) {
    String value = text(name);
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) return candidate;
    }
    problems.add(name + ": '" + value + "' is not one of " + String.join(", ", allowed));
    return allowed[0];
  }

  private static Map<String, String> loadDefaults() {
    try (InputStream in = SettingsLoader.class.getResourceAsStream("/env-vars.json")) {
      if (in == null) throw new IllegalStateException("env-vars.json is missing from the classpath");
      JsonNode root = Json.MAPPER.readTree(in);
      Map<String, String> defaults = new LinkedHashMap<>();
      for (JsonNode variable : root.path("variables")) {
        defaults.put(variable.path("name").asText(), variable.path("default").asText(""));
      }
      return Map.copyOf(defaults);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
