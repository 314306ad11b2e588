package dev.agentexecutor.model;

import dev.agentexecutor.agent.definition.ModelConfig;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.model.LangChainModelFactory.ModelKey;
import dev.agentexecutor.observability.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's {@link ModelClient}: sends each call to the provider its node names (OpenAI,
 * Anthropic or scripted; the settings' defaults when it names none), retries transient failures of
 * real providers and counts the tokens used. Thread-safe; one instance serves the whole process.
 */
public final class ModelRouter implements ModelClient {
  private final Settings.ModelSettings settings;
  private final Metrics metrics;
  private final RetryPolicy retryPolicy;
  private final ScriptedModel scripted;
  private final LangChainModelFactory factory;
  private final Map<ModelKey, LangChainModel> models = new ConcurrentHashMap<>();

  public ModelRouter(Settings.ModelSettings settings, Metrics metrics) {
    this(settings, metrics, RetryPolicy.from(settings, metrics), new ScriptedModel());
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
            : callWithRetries(model(provider, config), request, tokens);
    metrics.tokens(response.usage().inputTokens(), response.usage().outputTokens());
    return response;
  }

  private ModelResponse callWithRetries(
      LangChainModel model, ModelRequest request, TokenListener tokens) {
    return retryPolicy.call(model.target(), () -> model.chat(request, tokens));
  }

  private LangChainModel model(ModelProvider provider, ModelConfig config) {
    var key = new ModelKey(provider, config.model(), config.temperature(), config.maxTokens());
    return models.computeIfAbsent(key, factory::create);
  }

  private ModelConfig withDefaults(ModelConfig config) {
    ModelConfig given = config != null ? config : new ModelConfig(null, null, null, null, null);
    return given.withDefaults(settings.defaultProvider(), settings.defaultModel());
  }
}
