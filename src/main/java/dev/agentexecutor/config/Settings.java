package dev.agentexecutor.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the service, read once from the environment (names and defaults in
 * {@code env-vars.json}) and validated with messages that name the variable. Nothing else reads
 * environment variables.
 */
public record Settings(
    int port,
    long maxPayloadBytes,
    int maxConcurrentHttpJobs,
    String logLevel,
    String logFormat,
    Optional<String> otlpEndpoint,
    String otelServiceName,
    ModelSettings model,
    Limits limits,
    java.util.List<String> httpToolAllowedHosts,
    Duration eventRetention,
    Optional<Postgres> postgres,
    Optional<Redis> redis,
    Optional<Nats> nats,
    ClientApi clientApi) {

  /**
   * The client API's access and streams: API tokens (empty = open), how many event followers
   * (WebSocket and SSE clients) may run at once, and their heartbeat interval.
   */
  public record ClientApi(java.util.List<ApiToken> apiTokens, int maxStreamFollowers, Duration streamHeartbeat) {
    public ClientApi {
      apiTokens = java.util.List.copyOf(apiTokens);
    }

    @Override
    public String toString() { // tokens never reach logs
      return "ClientApi[apiTokens=%d, tenants=%s, maxStreamFollowers=%d, streamHeartbeat=%s]".formatted(
          apiTokens.size(), apiTokens.stream().map(ApiToken::tenant).distinct().sorted().toList(),
          maxStreamFollowers, streamHeartbeat);
    }
  }

  /** One API token and the tenant whose jobs it reaches. */
  public record ApiToken(String token, String tenant) {
    @Override
    public String toString() {
      return "ApiToken[tenant=" + tenant + "]";
    }
  }

  /** Model providers: defaults for nodes that name none, endpoints, keys and retry policy. */
  public record ModelSettings(
      String defaultProvider,
      String defaultModel,
      String openAiApiKey,
      String openAiBaseUrl,
      String anthropicApiKey,
      String anthropicBaseUrl,
      Duration timeout,
      int maxRetries,
      Duration initialBackoff,
      Duration maxBackoff) {

    @Override
    public String toString() { // keys never reach logs
      return "ModelSettings[defaultProvider=%s, defaultModel=%s, openAiBaseUrl=%s, anthropicBaseUrl=%s, openAiKey=%s, anthropicKey=%s, timeout=%s, maxRetries=%d]"
          .formatted(defaultProvider, defaultModel, openAiBaseUrl, anthropicBaseUrl,
              openAiApiKey.isEmpty() ? "unset" : "set", anthropicApiKey.isEmpty() ? "unset" : "set",
              timeout, maxRetries);
    }
  }

  /** Bounds of one run. */
  public record Limits(
      int maxSteps,
      Duration runTimeout,
      Optional<Long> tokenBudget,
      long summarizationTokenThreshold,
      int summarizationKeepMessages,
      Duration httpToolTimeout,
      Duration resultRetention,
      Duration retentionSweepInterval) {}

  /** PostgreSQL: a JDBC URL plus credentials, the schema and pool size, and result retention. */
  public record Postgres(
      String jdbcUrl,
      String user,
      String password,
      String schema,
      int poolSize,
      boolean migrateOnStart,
      boolean syncCheckpointCommits,
      Duration retention,
      Duration sweepInterval) {
    @Override
    public String toString() {
      return "Postgres[url=%s, user=%s, schema=%s, pool=%d]".formatted(
          jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***"), user, schema, poolSize);
    }
  }

  /** Dragonfly/Redis: a redis:// URI (password inside), key prefix, stream cap and expiry. */
  public record Redis(String uri, String keyPrefix, long streamMaxLen, Duration streamTtl) {
    @Override
    public String toString() {
      return "Redis[uri=%s, prefix=%s]".formatted(withoutUserInfo(uri), keyPrefix);
    }
  }

  /** NATS JetStream: job stream and consumer, result stream, delivery and drain settings. */
  public record Nats(
      String url,
      String streamName,
      String subject,
      String consumerName,
      String resultStreamName,
      String resultSubjectPrefix,
      boolean createStreams,
      Duration ackWait,
      int maxDeliver,
      Duration nakDelay,
      int maxConcurrentJobs,
      Duration drainTimeout) {
    @Override
    public String toString() { // a NATS URL may carry user:password or a token
      return "Nats[url=%s, stream=%s, subject=%s, consumer=%s, resultStream=%s, maxConcurrentJobs=%d]"
          .formatted(withoutUserInfo(url), streamName, subject, consumerName, resultStreamName, maxConcurrentJobs);
    }
  }

  /** A URL (or comma-separated URLs) with any user info replaced by ***. */
  static String withoutUserInfo(String url) {
    return url.replaceAll("//[^@/,]*@", "//***@");
  }

  public static Settings fromEnvironment() {
    return SettingsLoader.load(System.getenv());
  }

  public static Settings from(Map<String, String> env) {
    return SettingsLoader.load(env);
  }
}
