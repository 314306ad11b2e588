package dev.agentexecutor.observability;

import dev.agentexecutor.core.state.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The service's Prometheus metrics. Names are part of the contract (dashboards and alerts use
 * them): agent_executor_jobs_total{status}, agent_executor_job_duration_seconds,
 * agent_executor_nats_messages_processed_total, agent_executor_nats_messages_failed_total,
 * agent_executor_llm_tokens_total{direction} (input, output, cache_read, cache_write), the
 * approvals' agent_executor_jobs_interrupted_total, agent_executor_interrupt_decisions_total{type}
 * and agent_executor_interrupt_parked_seconds, plus HTTP and JVM metrics.
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer jobDuration;
  private final Counter natsProcessed;
  private final Counter natsFailed;
  private final Counter tokensIn;
  private final Counter tokensOut;
  private final Counter tokensCacheRead;
  private final Counter tokensCacheWrite;
  private final Counter modelRetries;
  private final Counter interrupted;
  private final Timer parked;

  public Metrics() {
    jobDuration =
        Timer.builder("agent_executor_job_duration")
            .description("Wall time of job runs")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry);
    natsProcessed =
        Counter.builder("agent_executor_nats_messages_processed")
            .description("NATS job messages handled (acked or termed)")
            .register(registry);
    natsFailed =
        Counter.builder("agent_executor_nats_messages_failed")
            .description("NATS job messages that were invalid or whose job could not be run")
            .register(registry);
    tokensIn = tokenCounter("input");
    tokensOut = tokenCounter("output");
    tokensCacheRead = tokenCounter("cache_read");
    tokensCacheWrite = tokenCounter("cache_write");
    modelRetries =
        Counter.builder("agent_executor_llm_retries")
            .description("Model calls retried after 429/5xx/connection errors")
            .register(registry);
    interrupted =
        Counter.builder("agent_executor_jobs_interrupted")
            .description("Times a job parked to wait for people's decisions (interrupt_on)")
            .register(registry);
    parked =
        Timer.builder("agent_executor_interrupt_parked")
            .description("Time a parked job waited for its decisions, until resumed")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofSeconds(1))
            .maximumExpectedValue(Duration.ofDays(7))
            .register(registry);
    for (String type : new String[] {"approve", "edit", "reject"}) decisionsCounter(type);
    for (String status : new String[] {"completed", "failed", "cancelled"}) {
      jobsCounter(status); // present at 0 from the start, so rates work before the first job
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private Counter tokenCounter(String direction) {
    return Counter.builder("agent_executor_llm_tokens")
        .description("LLM tokens used")
        .tag("direction", direction)
        .register(registry);
  }

  private Counter jobsCounter(String status) {
    return Counter.builder("agent_executor_jobs")
        .description("Jobs finished, by final status")
        .tag("status", status)
        .register(registry);
  }

  private Counter decisionsCounter(String type) {
    return Counter.builder("agent_executor_interrupt_decisions")
        .description("Decisions that resumed parked jobs, by type")
        .tag("type", type)
        .register(registry);
  }

  /** A job parked on its interrupts. */
  public void jobInterrupted() {
    interrupted.increment();
  }

  /** A parked job was resumed after waiting {@code waited}, with decisions of these types. */
  public void jobResumed(Duration waited, Iterable<String> decisionTypes) {
    parked.record(waited.isNegative() ? Duration.ZERO : waited);
    for (String type : decisionTypes) decisionsCounter(type).increment();
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void jobFinished(String status, Duration duration) {
    jobsCounter(status).increment();
    jobDuration.record(duration);
  }

  public void tokens(long input, long output) {
    tokensIn.increment(input);
    tokensOut.increment(output);
  }

  /**
   * One model call's tokens: input (cached ones included) and output, and of the input those read
   * from and written to the provider's prompt cache (directions cache_read and cache_write).
   */
  public void tokens(Usage usage) {
    tokens(usage.inputTokens(), usage.outputTokens());
    tokensCacheRead.increment(usage.cacheReadTokens());
    tokensCacheWrite.increment(usage.cacheWriteTokens());
  }

  public void modelRetry() {
    modelRetries.increment();
  }

  public void natsMessageProcessed() {
    natsProcessed.increment();
  }

  public void natsMessageFailed() {
    natsFailed.increment();
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }
}
