package dev.agentexecutor.agent;

import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.tools.HttpToolClient;
import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import dev.agentexecutor.model.provider.ModelRouter;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.util.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Builds deep agents for tests: the real {@link ModelRouter} (scripted provider) behind a {@link
 * RecordingModel} that captures every request, an in-memory checkpointer and small limits.
 */
final class AgentTestKit {
  /** Defaults deliberately not scripted: a node that falls back to them fails loudly. */
  static final Settings.ModelSettings MODELS =
      new Settings.ModelSettings(
          "openai",
          "default-model",
          "sk-test",
          "http://127.0.0.1:9/v1",
          "",
          "http://127.0.0.1:9/v1",
          Duration.ofSeconds(1),
          0,
          Duration.ofMillis(1),
          Duration.ofMillis(1));

  private static final Metrics METRICS = new Metrics();
  private static final HttpToolClient HTTP =
      HttpToolClient.create(HttpToolPolicy.DEFAULT, Duration.ofSeconds(5));

  private AgentTestKit() {}

  static Settings.Limits limits() {
    return new Settings.Limits(
        50,
        Duration.ofMinutes(5),
        Optional.empty(),
        170_000,
        6,
        Duration.ofSeconds(5),
        Duration.ofHours(24),
        Duration.ofMinutes(10));
  }

  static Settings.Limits limits(int maxSteps, Duration timeout, Long tokenBudget) {
    return new Settings.Limits(
        maxSteps,
        timeout,
        Optional.ofNullable(tokenBudget),
        170_000,
        6,
        Duration.ofSeconds(5),
        Duration.ofHours(24),
        Duration.ofMinutes(10));
  }

  static Settings.Limits summarizing(long threshold, int keep) {
    return new Settings.Limits(
        50,
        Duration.ofMinutes(5),
        Optional.empty(),
        threshold,
        keep,
        Duration.ofSeconds(5),
        Duration.ofHours(24),
        Duration.ofMinutes(10));
  }

  static ModelRouter router() {
    return new ModelRouter(MODELS, METRICS);
  }

  static AgentRuntime runtime(ModelClient model, Checkpointer checkpoints, Settings.Limits limits) {
    return new AgentRuntime(model, checkpoints, HTTP, Tracing.disabled(), MODELS, limits);
  }

  static DeepAgent agent(String definitionJson, ModelClient model, Checkpointer checkpoints) {
    return agent(definitionJson, model, checkpoints, limits());
  }

  static DeepAgent agent(
      String definitionJson, ModelClient model, Checkpointer checkpoints, Settings.Limits limits) {
    return DeepAgent.build(
        DefinitionParser.parse(Json.parse(definitionJson)), runtime(model, checkpoints, limits));
  }

  static RunControl control() {
    return control(limits(), Clock.systemUTC());
  }

  static RunControl control(Settings.Limits limits, Clock clock) {
    return new RunControl(limits.maxSteps(), limits.runTimeout(), limits.tokenBudget(), clock);
  }

  static AgentState input(String text) {
    return AgentState.initial(List.of(Message.user(text)), Map.of(), Map.of());
  }

  /** A one-node definition whose orchestrator replays {@code scriptJson}. */
  static String orchestrator(String scriptJson) {
    return """
        {"nodes": [{"id": "lead", "type": "orchestrator", "config": {
           "name": "lead", "system_prompt": "You lead.",
           "model": {"provider": "scripted", "model": "lead-model", "script": %s}}}]}
        """
        .formatted(scriptJson);
  }

  /**
   * Records every request, counts calls and can change or fail them; delegates to a real client.
   */
  static final class RecordingModel implements ModelClient {
    final List<ModelRequest> requests = new CopyOnWriteArrayList<>();
    private final ModelClient delegate;
    private volatile UnaryOperator<ModelRequest> before = r -> r;
    private volatile int failAtCall = -1;

    RecordingModel(ModelClient delegate) {
      this.delegate = delegate;
    }

    RecordingModel() {
      this(router());
    }

    /** The Nth call (from 1) throws instead of answering. */
    RecordingModel failingAtCall(int call) {
      this.failAtCall = call;
      return this;
    }

    RecordingModel beforeEachCall(UnaryOperator<ModelRequest> hook) {
      this.before = hook;
      return this;
    }

    @Override
    public ModelResponse chat(ModelRequest request, TokenListener tokens) {
      requests.add(request);
      if (requests.size() == failAtCall)
        throw new IllegalStateException("model down at call " + failAtCall);
      return delegate.chat(before.apply(request), tokens);
    }

    int calls() {
      return requests.size();
    }

    List<ModelRequest> requestsOf(String node) {
      return requests.stream().filter(r -> r.node().equals(node)).toList();
    }

    ModelRequest last() {
      return requests.get(requests.size() - 1);
    }
  }

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
