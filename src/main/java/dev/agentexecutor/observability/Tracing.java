package dev.agentexecutor.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Spans for each job, model call and tool call, exported over OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; without it every call here is a cheap no-op. A job span
 * continues the incoming W3C trace, and the result event carries the job span as its parent.
 */
public final class Tracing implements AutoCloseable {
  private static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("agent.job_id");
  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;
  private final boolean exporting;

  private Tracing(OpenTelemetry openTelemetry, boolean exporting) {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer("agent-executor");
    this.exporting = exporting;
  }

  public static Tracing disabled() {
    return new Tracing(OpenTelemetry.noop(), false);
  }

  public static Tracing create(Optional<String> otlpEndpoint, String serviceName) {
    if (otlpEndpoint.isEmpty()) return disabled();
    String endpoint = otlpEndpoint.get().replaceAll("/+$", "");
    if (!endpoint.endsWith("/v1/traces")) endpoint += "/v1/traces";
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build())
                    .build())
            .build();
    return new Tracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build(), true);
  }

  public boolean exporting() {
    return exporting;
  }

  /**
   * Starts the span of a job as a child of the incoming trace context; make it current with {@link
   * Span#makeCurrent()}.
   */
  public Span startJob(String jobId, TraceContext parent) {
    SpanContext remote =
        SpanContext.createFromRemoteParent(
            parent.traceId(),
            parent.spanId(),
            TraceFlags.fromHex(parent.flags(), 0),
            TraceState.getDefault());
    return tracer
        .spanBuilder("agent.job")
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(Context.root().with(Span.wrap(remote)))
        .setAttribute(JOB_ID, jobId)
        .startSpan();
  }

  /**
   * The trace context the result event carries: the job span when exporting, else a new child span
   * id.
   */
  public TraceContext outgoing(Span jobSpan, TraceContext incoming) {
    if (!exporting || !jobSpan.getSpanContext().isValid()) return incoming.child();
    SpanContext c = jobSpan.getSpanContext();
    return new TraceContext(
        c.getTraceId(), c.getSpanId(), c.getTraceFlags().asHex(), incoming.tracestate());
  }

  /** Runs {@code work} inside a child span of the current one (model calls, tool calls). */
  public <T> T inSpan(String name, String detail, Supplier<T> work) {
    if (!exporting) return work.get();
    Span span = tracer.spanBuilder(name).setAttribute("agent.detail", detail).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return work.get();
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * {@code work} run in the current span's context on whichever thread runs it (a parallel tool
   * call's), so that its spans stay children of the job's.
   */
  public Runnable carryContext(Runnable work) {
    return exporting ? Context.current().wrap(work) : work;
  }

  @Override
  public void close() {
    if (openTelemetry instanceof OpenTelemetrySdk sdk) sdk.close();
  }
}
