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
    boolean uiEnabled) {

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
          dev.agentexecutor.observability.Redactor.url(jdbcUrl), user, schema, poolSize);
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

  /** A URL (or comma-separated URLs) with user info and credential parameters replaced by ***. */
  static String withoutUserInfo(String url) {
    return dev.agentexecutor.observability.Redactor.url(url);
  }

  /**
   * Every secret value this configuration holds (API keys, passwords, user info of URLs), to be
   * removed from anything that leaves the process: errors, events and log lines.
   */
  public java.util.List<String> secretValues() {
    java.util.List<String> secrets = new java.util.ArrayList<>(java.util.List.of(model.openAiApiKey(), model.anthropicApiKey()));
    postgres.ifPresent(p -> {
      secrets.add(p.password());
      secrets.addAll(urlSecrets(p.jdbcUrl()));
    });
    redis.ifPresent(r -> secrets.addAll(urlSecrets(r.uri())));
    nats.ifPresent(n -> secrets.addAll(urlSecrets(n.url())));
    return secrets.stream().filter(s -> s != null && !s.isEmpty()).distinct().toList();
  }

  /** The user info of each URL in a comma-separated list, whole and split at ':' (user, password). */
  private static java.util.List<String> urlSecrets(String urls) {
    java.util.List<String> secrets = new java.util.ArrayList<>();
    var matcher = java.util.regex.Pattern.compile("://([^/@\\s,?#]+)@").matcher(urls);
    while (matcher.find()) {
      String userInfo = matcher.group(1);
      secrets.add(userInfo);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) secrets.add(userInfo.substring(colon + 1));
    }
    var password = java.util.regex.Pattern.compile("(?i)[?&;]password=([^&;#\\s]+)").matcher(urls);
    while (password.find()) secrets.add(password.group(1));
    return secrets;
  }

  public static Settings fromEnvironment() {
    return SettingsLoader.load(System.getenv());
  }

  public static Settings from(Map<String, String> env) {
    return SettingsLoader.load(env);
  }
}
