package dev.agentexecutor.model.provider;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.ScriptedModel;
import dev.agentexecutor.model.TokenListener;
import dev.agentexecutor.model.provider.LangChainModelFactory.ModelKey;
import dev.agentexecutor.observability.Metrics;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The service's {@link ModelClient}: sends each call to the provider its node names (OpenAI,
 * Anthropic or scripted; the settings' defaults when it names none), retries transient failures of
 * real providers and counts the tokens used. Thread-safe; one instance serves the whole process.
 */
public final class ModelRouter implements ModelClient, AutoCloseable {
  private final Settings.ModelSettings settings;
  private final Metrics metrics;
  private final RetryPolicy retryPolicy;
  private final ScriptedModel scripted;
  private final LangChainModelFactory factory;
  private final Map<ModelKey, LangChainModel> models = new ConcurrentHashMap<>();

  public ModelRouter(Settings.ModelSettings settings, Metrics metrics) {
    this(
        settings,
        metrics,
        RetryPolicy.from(settings, metrics),
        new ScriptedModel(settings.scriptDirectory()));
  }

  public ModelRouter(
      Settings.ModelSettings settings,
      Metrics metrics,
      RetryPolicy retryPolicy,
      ScriptedModel scripted) {
    this.settings = settings;
    this.metrics = metrics;
    this.retryPolicy = retryPolicy;
    this.scripted = scripted;
    this.factory = new LangChainModelFactory(settings);
  }

  @Override
  public ModelResponse chat(ModelRequest request, TokenListener tokens) {
    ModelConfig config = withDefaults(request.config());
    ModelProvider provider = ModelProvider.parse(config.provider(), request.node());
    ModelResponse response =
        provider == ModelProvider.SCRIPTED
            ? scripted.chat(request, tokens)
            : callWithRetries(model(provider, config, request), request, tokens);
    metrics.tokens(response.usage());
    return response;
  }

  private ModelResponse callWithRetries(
      LangChainModel model, ModelRequest request, TokenListener tokens) {
    return retryPolicy.call(model.target(), () -> withinTimeout(() -> model.chat(request, tokens)));
  }

  /**
   * Interrupts model calls that outlive MODEL_TIMEOUT_SECONDS; one daemon thread, shut on close.
   */
  private final ScheduledThreadPoolExecutor watchdog = watchdog();

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("model-call-watchdog").daemon().factory());
    executor.setRemoveOnCancelPolicy(true);
    // An idle watchdog holds no thread, so a router nobody closes (tests, tools) leaks nothing.
    executor.setKeepAliveTime(30, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /**
   * The HTTP client's timeout covers the wait for response headers; a stream that stalls after them
   * would otherwise hang the job (and, with in-progress acks, its NATS message) forever. An attempt
   * still running at the timeout is interrupted, which cancels it, and counts as a retryable
   * timeout.
   */
  private <T> T withinTimeout(Callable<T> attempt) throws Exception {
    Thread caller = Thread.currentThread();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> alarm =
        watchdog.schedule(
            () -> {
              timedOut.set(true);
              caller.interrupt();
            },
            settings.timeout().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      return attempt.call();
    } catch (Exception e) {
      if (timedOut.get()) {
        throw new HttpTimeoutException(
            "no complete answer within "
                + settings.timeout().toSeconds()
                + " s (MODEL_TIMEOUT_SECONDS)");
      }
      throw e;
    } finally {
      alarm.cancel(false);
      if (timedOut.get()) Thread.interrupted(); // the interrupt was ours, not the caller's
    }
  }

  private LangChainModel model(ModelProvider provider, ModelConfig config, ModelRequest request) {
    boolean strict =
        provider == ModelProvider.OPENAI
            && request.responseFormat() != null
            && StrictSchemas.compatible(request.responseFormat());
    var key =
        new ModelKey(provider, config.model(), config.temperature(), config.maxTokens(), strict);
    return models.computeIfAbsent(key, factory::create);
  }

  private ModelConfig withDefaults(ModelConfig config) {
    ModelConfig given = config != null ? config : new ModelConfig(null, null, null, null, null);
    return given.withDefaults(settings.defaultProvider(), settings.defaultModel());
  }

  /** Stops the watchdog thread; model calls after this are refused. */
  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
