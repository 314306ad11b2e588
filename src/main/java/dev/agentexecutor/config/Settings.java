package dev.agentexecutor.config;

import dev.agentexecutor.core.state.StateLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the service, read once from the environment (names and defaults in {@code
 * env-vars.json}) and validated with messages that name the variable. Nothing else reads
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
    ClientApi clientApi,
    boolean uiEnabled,
    AgentSettings agent,
    HttpJobs httpJobs) {

  /** Settings from before HTTP jobs' durability settings, which then take their defaults. */
  public Settings(
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
      ClientApi clientApi,
      boolean uiEnabled,
      AgentSettings agent) {
    this(
        port,
        maxPayloadBytes,
        maxConcurrentHttpJobs,
        logLevel,
        logFormat,
        otlpEndpoint,
        otelServiceName,
        model,
        limits,
        httpToolAllowedHosts,
        eventRetention,
        postgres,
        redis,
        nats,
        clientApi,
        uiEnabled,
        agent,
        HttpJobs.DEFAULTS);
  }

  /**
   * How jobs that arrive over HTTP are seen through: how long POST / waits for a result before it
   * answers 202; without NATS, how often a run that meets a backend outage is tried and the first
   * delay between tries (doubled per try); with NATS, how often the result outbox looks for results
   * that could not be published.
   */
  public record HttpJobs(
      Duration resultWait,
      int localRetryMaxAttempts,
      Duration localRetryBackoff,
      Duration outboxInterval) {
    public static final HttpJobs DEFAULTS =
        new HttpJobs(Duration.ofSeconds(300), 5, Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  /** Settings from before the agent's context and MCP settings, which then take their defaults. */
  public Settings(
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
      ClientApi clientApi,
      boolean uiEnabled) {
    this(
        port,
        maxPayloadBytes,
        maxConcurrentHttpJobs,
        logLevel,
        logFormat,
        otlpEndpoint,
        otelServiceName,
        model,
        limits,
        httpToolAllowedHosts,
        eventRetention,
        postgres,
        redis,
        nats,
        clientApi,
        uiEnabled,
        AgentSettings.DEFAULTS);
  }

  /**
   * Structured output, context management and MCP tools: how often an answer that breaks its
   * response_format is sent back, the size above which a tool result goes to a file, the time limit
   * of one MCP request, and the environment variables a job may name as MCP headers with their
   * values (read once at start-up, never logged).
   */
  public record AgentSettings(
      int structuredOutputMaxRetries,
      int largeToolResultChars,
      Duration mcpTimeout,
      java.util.List<String> mcpHeaderEnvAllowed,
      Map<String, String> mcpHeaderValues) {

    public static final AgentSettings DEFAULTS =
        new AgentSettings(2, 80_000, Duration.ofSeconds(30), java.util.List.of(), Map.of());

    public AgentSettings {
      mcpHeaderEnvAllowed = java.util.List.copyOf(mcpHeaderEnvAllowed);
      mcpHeaderValues = Map.copyOf(mcpHeaderValues);
    }

    @Override
    public String toString() { // header values are secrets
      return "AgentSettings[structuredOutputMaxRetries=%d, largeToolResultChars=%d, mcpTimeout=%s, mcpHeaderEnvAllowed=%s]"
          .formatted(
              structuredOutputMaxRetries, largeToolResultChars, mcpTimeout, mcpHeaderEnvAllowed);
    }
  }

  /**
   * The client API's access and streams: API tokens (empty = open), how many event followers
   * (WebSocket and SSE clients) may run at once, and their heartbeat interval.
   */
  public record ClientApi(
      java.util.List<ApiToken> apiTokens, int maxStreamFollowers, Duration streamHeartbeat) {
    public ClientApi {
      apiTokens = java.util.List.copyOf(apiTokens);
    }

    @Override
    public String toString() { // tokens never reach logs
      return "ClientApi[apiTokens=%d, tenants=%s, maxStreamFollowers=%d, streamHeartbeat=%s]"
          .formatted(
              apiTokens.size(),
              apiTokens.stream().map(ApiToken::tenant).distinct().sorted().toList(),
              maxStreamFollowers,
              streamHeartbeat);
    }
  }

  /** One API token and the tenant whose jobs it reaches. */
  public record ApiToken(String token, String tenant) {
    @Override
    public String toString() {
      return "ApiToken[tenant=" + tenant + "]";
    }
  }

  /** The settings for a log line: API tokens appear as a count, never as values. */
  @Override
  public String toString() {
    return ("Settings[port=%d, maxPayloadBytes=%d, maxConcurrentHttpJobs=%d, clientApi=%s, model=%s, "
            + "limits=%s, agent=%s, postgres=%s, redis=%s, nats=%s]")
        .formatted(
            port,
            maxPayloadBytes,
            maxConcurrentHttpJobs,
            clientApi,
            model,
            limits,
            agent,
            postgres,
            redis,
            nats);
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
      Duration maxBackoff,
      Optional<Path> scriptDirectory) {

    /** Without a script directory: the scripted provider then takes inline scripts only. */
    public ModelSettings(
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
      this(
          defaultProvider,
          defaultModel,
          openAiApiKey,
          openAiBaseUrl,
          anthropicApiKey,
          anthropicBaseUrl,
          timeout,
          maxRetries,
          initialBackoff,
          maxBackoff,
          Optional.empty());
    }

    public ModelSettings withScriptDirectory(Path directory) {
      return new ModelSettings(
          defaultProvider,
          defaultModel,
          openAiApiKey,
          openAiBaseUrl,
          anthropicApiKey,
          anthropicBaseUrl,
          timeout,
          maxRetries,
          initialBackoff,
          maxBackoff,
          Optional.of(directory));
    }

    @Override
    public String toString() { // keys never reach logs
      return "ModelSettings[defaultProvider=%s, defaultModel=%s, openAiBaseUrl=%s, anthropicBaseUrl=%s, openAiKey=%s, anthropicKey=%s, timeout=%s, maxRetries=%d]"
          .formatted(
              defaultProvider,
              defaultModel,
              openAiBaseUrl,
              anthropicBaseUrl,
              openAiApiKey.isEmpty() ? "unset" : "set",
              anthropicApiKey.isEmpty() ? "unset" : "set",
              timeout,
              maxRetries);
    }
  }

  /**
   * Bounds of one run: steps, time, tokens, each tool call's time, the size of its state and how
   * many tool calls of one reply run, and at once.
   */
  public record Limits(
      int maxSteps,
      Duration runTimeout,
      Optional<Long> tokenBudget,
      long summarizationTokenThreshold,
      int summarizationKeepMessages,
      Duration httpToolTimeout,
      Duration resultRetention,
      Duration retentionSweepInterval,
      Duration toolCallTimeout,
      StateLimits state,
      int maxParallelToolCalls,
      int maxToolCallsPerReply,
      Duration interruptTtl) {

    /** The default INTERRUPT_TTL_SECONDS: a parked job waits a week for its decisions. */
    public static final Duration DEFAULT_INTERRUPT_TTL = Duration.ofDays(7);

    /** With the default INTERRUPT_TTL_SECONDS. */
    public Limits(
        int maxSteps,
        Duration runTimeout,
        Optional<Long> tokenBudget,
        long summarizationTokenThreshold,
        int summarizationKeepMessages,
        Duration httpToolTimeout,
        Duration resultRetention,
        Duration retentionSweepInterval,
        Duration toolCallTimeout,
        StateLimits state,
        int maxParallelToolCalls,
        int maxToolCallsPerReply) {
      this(
          maxSteps,
          runTimeout,
          tokenBudget,
          summarizationTokenThreshold,
          summarizationKeepMessages,
          httpToolTimeout,
          resultRetention,
          retentionSweepInterval,
          toolCallTimeout,
          state,
          maxParallelToolCalls,
          maxToolCallsPerReply,
          DEFAULT_INTERRUPT_TTL);
    }

    /** The default TOOL_CALL_TIMEOUT_SECONDS. */
    public static final Duration DEFAULT_TOOL_CALL_TIMEOUT = Duration.ofSeconds(60);

    /** The default MAX_PARALLEL_TOOL_CALLS. */
    public static final int DEFAULT_MAX_PARALLEL_TOOL_CALLS = 8;

    /** The default MAX_TOOL_CALLS_PER_REPLY. */
    public static final int DEFAULT_MAX_TOOL_CALLS_PER_REPLY = 64;

    /** With the default parallelism. */
    public Limits(
        int maxSteps,
        Duration runTimeout,
        Optional<Long> tokenBudget,
        long summarizationTokenThreshold,
        int summarizationKeepMessages,
        Duration httpToolTimeout,
        Duration resultRetention,
        Duration retentionSweepInterval,
        Duration toolCallTimeout,
        StateLimits state) {
      this(
          maxSteps,
          runTimeout,
          tokenBudget,
          summarizationTokenThreshold,
          summarizationKeepMessages,
          httpToolTimeout,
          resultRetention,
          retentionSweepInterval,
          toolCallTimeout,
          state,
          DEFAULT_MAX_PARALLEL_TOOL_CALLS,
          DEFAULT_MAX_TOOL_CALLS_PER_REPLY);
    }

    /** With the default tool call timeout, state limits and parallelism. */
    public Limits(
        int maxSteps,
        Duration runTimeout,
        Optional<Long> tokenBudget,
        long summarizationTokenThreshold,
        int summarizationKeepMessages,
        Duration httpToolTimeout,
        Duration resultRetention,
        Duration retentionSweepInterval) {
      this(
          maxSteps,
          runTimeout,
          tokenBudget,
          summarizationTokenThreshold,
          summarizationKeepMessages,
          httpToolTimeout,
          resultRetention,
          retentionSweepInterval,
          DEFAULT_TOOL_CALL_TIMEOUT,
          StateLimits.DEFAULTS);
    }

    public Limits withToolCallTimeout(Duration timeout) {
      return new Limits(
          maxSteps,
          runTimeout,
          tokenBudget,
          summarizationTokenThreshold,
          summarizationKeepMessages,
          httpToolTimeout,
          resultRetention,
          retentionSweepInterval,
          timeout,
          state,
          maxParallelToolCalls,
          maxToolCallsPerReply,
          interruptTtl);
    }

    public Limits withState(StateLimits limits) {
      return new Limits(
          maxSteps,
          runTimeout,
          tokenBudget,
          summarizationTokenThreshold,
          summarizationKeepMessages,
          httpToolTimeout,
          resultRetention,
          retentionSweepInterval,
          toolCallTimeout,
          limits,
          maxParallelToolCalls,
          maxToolCallsPerReply,
          interruptTtl);
    }

    /** MAX_PARALLEL_TOOL_CALLS and MAX_TOOL_CALLS_PER_REPLY. */
    public Limits withToolCalls(int maxParallel, int maxPerReply) {
      return new Limits(
          maxSteps,
          runTimeout,
          tokenBudget,
          summarizationTokenThreshold,
          summarizationKeepMessages,
          httpToolTimeout,
          resultRetention,
          retentionSweepInterval,
          toolCallTimeout,
          state,
          maxParallel,
          maxPerReply,
          interruptTtl);
    }

    /** INTERRUPT_TTL_SECONDS: how long a parked job waits for its decisions before it fails. */
    public Limits withInterruptTtl(Duration ttl) {
      return new Limits(
          maxSteps,
          runTimeout,
          tokenBudget,
          summarizationTokenThreshold,
          summarizationKeepMessages,
          httpToolTimeout,
          resultRetention,
          retentionSweepInterval,
          toolCallTimeout,
          state,
          maxParallelToolCalls,
          maxToolCallsPerReply,
          ttl);
    }
  }

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
      return "Postgres[url=%s, user=%s, schema=%s, pool=%d]"
          .formatted(dev.agentexecutor.observability.Redactor.url(jdbcUrl), user, schema, poolSize);
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
          .formatted(
              withoutUserInfo(url),
              streamName,
              subject,
              consumerName,
              resultStreamName,
              maxConcurrentJobs);
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
    java.util.List<String> secrets =
        new java.util.ArrayList<>(java.util.List.of(model.openAiApiKey(), model.anthropicApiKey()));
    postgres.ifPresent(
        p -> {
          secrets.add(p.password());
          secrets.addAll(urlSecrets(p.jdbcUrl()));
        });
    redis.ifPresent(r -> secrets.addAll(urlSecrets(r.uri())));
    nats.ifPresent(n -> secrets.addAll(urlSecrets(n.url())));
    clientApi.apiTokens().forEach(token -> secrets.add(token.token()));
    secrets.addAll(agent.mcpHeaderValues().values());
    return secrets.stream().filter(s -> s != null && !s.isEmpty()).distinct().toList();
  }

  /**
   * The user info of each URL in a comma-separated list, whole and split at ':' (user, password).
   */
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

  /**
   * The same settings, reading scripted model files from {@code directory} unless
   * SCRIPTED_SCRIPT_DIR names one (the command line's {@code run} uses its working directory).
   */
  public Settings withDefaultScriptDirectory(Path directory) {
    if (model.scriptDirectory().isPresent()) return this;
    return new Settings(
        port,
        maxPayloadBytes,
        maxConcurrentHttpJobs,
        logLevel,
        logFormat,
        otlpEndpoint,
        otelServiceName,
        model.withScriptDirectory(directory),
        limits,
        httpToolAllowedHosts,
        eventRetention,
        postgres,
        redis,
        nats,
        clientApi,
        uiEnabled,
        agent,
        httpJobs);
  }

  public static Settings fromEnvironment() {
    return SettingsLoader.load(System.getenv());
  }

  public static Settings from(Map<String, String> env) {
    return SettingsLoader.load(env);
  }
}
