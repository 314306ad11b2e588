package dev.agentexecutor.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.state.StateLimits;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
  /**
   * Names and defaults of every variable, from env-vars.json (the one list, see its description).
   */
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
    Settings settings =
        new Settings(
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
                Duration.ofMillis(longIn("MODEL_RETRY_MAX_BACKOFF_MS", 0, 3_600_000)),
                directory(optional("SCRIPTED_SCRIPT_DIR"), "SCRIPTED_SCRIPT_DIR")),
            new Settings.Limits(
                intIn("MAX_STEPS", 1, 1_000_000),
                seconds("RUN_TIMEOUT_SECONDS"),
                optional("TOKEN_BUDGET").map(v -> parseLong("TOKEN_BUDGET", v, 1, Long.MAX_VALUE)),
                longIn("SUMMARIZATION_TOKEN_THRESHOLD", 1000, Long.MAX_VALUE),
                intIn("SUMMARIZATION_KEEP_MESSAGES", 1, 10_000),
                seconds("HTTP_TOOL_TIMEOUT_SECONDS"),
                Duration.ofHours(longIn("RESULT_RETENTION_HOURS", 1, 100_000)),
                seconds("RETENTION_SWEEP_INTERVAL_SECONDS"),
                seconds("TOOL_CALL_TIMEOUT_SECONDS"),
                stateLimits(),
                intIn("MAX_PARALLEL_TOOL_CALLS", 1, 1_000),
                intIn("MAX_TOOL_CALLS_PER_REPLY", 1, 10_000),
                seconds("INTERRUPT_TTL_SECONDS")),
            allowedHosts(),
            seconds("STREAM_TTL_SECONDS"),
            postgres(),
            redis(),
            nats(),
            new Settings.ClientApi(
                apiTokens(),
                intIn("MAX_STREAM_FOLLOWERS", 1, 1_000_000),
                seconds("STREAM_HEARTBEAT_SECONDS")),
            bool("UI_ENABLED"),
            agentSettings(),
            new Settings.HttpJobs(
                seconds("HTTP_RESULT_WAIT_SECONDS"),
                intIn("LOCAL_RETRY_MAX_ATTEMPTS", 1, 1_000),
                seconds("LOCAL_RETRY_BACKOFF_SECONDS"),
                seconds("RESULT_OUTBOX_INTERVAL_SECONDS")));
    Settings.ModelSettings model = settings.model();
    if (model.initialBackoff().compareTo(model.maxBackoff()) > 0) {
      problems.add(
          "MODEL_RETRY_INITIAL_BACKOFF_MS (%d) must not exceed MODEL_RETRY_MAX_BACKOFF_MS (%d)"
              .formatted(model.initialBackoff().toMillis(), model.maxBackoff().toMillis()));
    }
    StateLimits state = settings.limits().state();
    if (state.maxFileChars() > state.maxFilesTotalChars()) {
      problems.add(
          "MAX_FILE_CHARS (%d) must not exceed MAX_FILES_TOTAL_CHARS (%d)"
              .formatted(state.maxFileChars(), state.maxFilesTotalChars()));
    }
    return settings;
  }

  private Settings.AgentSettings agentSettings() {
    List<String> allowed =
        java.util.Arrays.stream(text("MCP_HEADER_ENV_ALLOWED").split(","))
            .map(String::strip)
            .filter(entry -> !entry.isEmpty())
            .toList();
    for (String entry : allowed) {
      if (!entry.matches("[A-Za-z_][A-Za-z0-9_]*\\*?")) {
        problems.add(
            "MCP_HEADER_ENV_ALLOWED: '"
                + entry
                + "' must be a variable name, or a prefix ending in * (e.g. MCP_TOKEN_*)");
      }
    }
    return new Settings.AgentSettings(
        intIn("STRUCTURED_OUTPUT_MAX_RETRIES", 0, 10),
        intIn("LARGE_TOOL_RESULT_CHARS", 1_000, 100_000_000),
        seconds("MCP_TIMEOUT_SECONDS"),
        allowed,
        McpHeaderVariables.values(env, allowed, DEFAULTS.keySet()));
  }

  private List<String> allowedHosts() {
    List<String> entries =
        java.util.Arrays.stream(text("HTTP_TOOL_ALLOWED_HOSTS").split(","))
            .map(String::strip)
            .filter(h -> !h.isEmpty())
            .toList();
    for (String entry : entries) {
      String problem = dev.agentexecutor.core.net.AllowedHostEntry.problem(entry);
      if (problem != null) problems.add("HTTP_TOOL_ALLOWED_HOSTS: " + problem);
    }
    return entries;
  }

  /**
   * At most 256 Mi characters for one value; a message at most 16 Mi, because the final answer goes
   * into the result CloudEvent, which the CloudEvents library reads under Jackson's 20 M cap.
   */
  private StateLimits stateLimits() {
    return new StateLimits(
        intIn("MAX_FILE_CHARS", 1, 1 << 28),
        intIn("MAX_FILES", 1, 1_000_000),
        longIn("MAX_FILES_TOTAL_CHARS", 1, 1L << 30),
        intIn("MAX_TOOL_RESULT_CHARS", 100, 1 << 28),
        intIn("MAX_MESSAGE_CHARS", 1000, 1 << 24));
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
      jdbcUrl =
          "jdbc:postgresql://%s:%d/%s".formatted(host.get(), intIn("POSTGRES_PORT", 1, 65535), db);
    }
    String schema = text("POSTGRES_SCHEMA");
    if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      problems.add(
          "POSTGRES_SCHEMA: '" + schema + "' is not a plain SQL identifier (letters, digits, _)");
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
        problems.add(
            "DATABASE_URL: has no valid host name (expected postgresql://user:password@host:port/database)");
        return new JdbcTarget(url, null, null);
      }
      int port = uri.getPort() < 0 ? 5432 : uri.getPort();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
      return new JdbcTarget(jdbc, user, password);
    } catch (IllegalArgumentException e) {
      problems.add(
          "DATABASE_URL: not a valid URL (" + e.getMessage().replace(url, "<redacted>") + ")");
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
      String auth =
          password.isEmpty()
              ? ""
              : ":"
                  + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20")
                  + "@";
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

  /** Shortest accepted API token: anything shorter is guessable. */
  static final int MIN_TOKEN_LENGTH = 16;

  private static final java.util.regex.Pattern TOKEN =
      java.util.regex.Pattern.compile("[A-Za-z0-9._~+/=-]+");

  /**
   * API_TOKENS: comma-separated {@code token} or {@code token=tenant} (split at the last '=' that
   * has a name after it, so base64 padding stays in the token). Problems name the entry's position,
   * never its value.
   */
  private List<Settings.ApiToken> apiTokens() {
    List<Settings.ApiToken> tokens = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    String[] entries = text("API_TOKENS").split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      if (entry.isEmpty()) continue;
      int split = entry.lastIndexOf('=');
      boolean named = split > 0 && split < entry.length() - 1;
      String token = named ? entry.substring(0, split) : entry;
      String tenant = named ? entry.substring(split + 1) : dev.agentexecutor.core.Tenants.DEFAULT;
      String where = "API_TOKENS: entry #" + (i + 1);
      if (!dev.agentexecutor.core.Tenants.isValid(tenant)) {
        problems.add(
            where + " has an invalid tenant name (1 to 64 letters, digits, '.', '_' or '-')");
      } else if (token.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(token).matches()) {
        problems.add(
            where
                + " is not a token of at least "
                + MIN_TOKEN_LENGTH
                + " characters among letters, digits and . _ ~ + / = -");
      } else if (!seen.add(token)) {
        problems.add(where + " repeats an earlier token");
      } else {
        tokens.add(new Settings.ApiToken(token, tenant));
      }
    }
    return tokens;
  }

  // --- typed readers: each records a problem naming the variable instead of throwing ---

  private String text(String name) {
    if (!DEFAULTS.containsKey(name))
      throw new IllegalStateException(name + " is not in env-vars.json");
    read.add(name);
    String value = env.get(name);
    return value == null || value.isBlank() ? DEFAULTS.get(name) : value.trim();
  }

  private Optional<String> optional(String name) {
    String value = text(name);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** An existing directory, as its real path (symbolic links resolved), or empty when unset. */
  private Optional<Path> directory(Optional<String> value, String name) {
    if (value.isEmpty()) return Optional.empty();
    try {
      Path path = Path.of(value.get());
      if (Files.isDirectory(path)) return Optional.of(path.toRealPath());
    } catch (IOException | java.nio.file.InvalidPathException e) {
      // reported below
    }
    problems.add(name + ": '" + value.get() + "' is not an existing directory");
    return Optional.empty();
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
      if (in == null)
        throw new IllegalStateException("env-vars.json is missing from the classpath");
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
