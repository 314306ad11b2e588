package dev.agentexecutor.ingress.nats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.nats.NatsConnector;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.runner.JobQueue;
import dev.agentexecutor.util.Ids;
import dev.agentexecutor.util.Json;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import java.io.IOException;

/**
 * Puts jobs that arrived over HTTP on the job stream as binary-mode CloudEvents ({@code
 * dev.my-platform.agent.execute}, the job as sent in the body, the caller's tenant as the {@code
 * ce-tenant} extension), with {@code Nats-Msg-Id} = the job id and a hash of the job as sent, so
 * that the same job submitted twice within the stream's duplicate window is stored once, while a
 * job its thread refused (nothing stored, its id free again) can be sent again with other input.
 * The subject is the configured NATS_SUBJECT with its wildcard replaced by the job id ({@code .}
 * becomes {@code _}: a subject token has none).
 */
public final class NatsJobQueue implements JobQueue {
  /**
   * Marks a resume whose continuation was taken by the replica that queued it (its record is
   * running with the decisions stored): the worker continues it, as it would a redelivered resume.
   */
  public static final String RESUME_TAKEN_HEADER = "Agent-Executor-Resume-Taken";

  static final String TYPE = "dev.my-platform.agent.execute";
  static final String SOURCE = "/agent-executor/http";

  private final NatsConnector connector;
  private final String subjectPattern;
  private final String stream;

  public NatsJobQueue(NatsConnector connector) {
    this.connector = connector;
    this.subjectPattern = connector.settings().subject();
    this.stream = connector.settings().streamName();
  }

  @Override
  public void enqueue(Job job) {
    byte[] body = Json.writeBytes(job.source());
    publish(
        job.jobId(),
        headers(TYPE, job.jobId(), job.jobId(), job.tenant(), job.trace()),
        body,
        messageId(job.jobId(), body),
        "job");
  }

  /**
   * A taken resume as a binary-mode {@code dev.my-platform.agent.resume} CloudEvent (data {@code
   * {job_id, trace_id, decisions}}) with the {@value #RESUME_TAKEN_HEADER} header: the worker
   * continues it from the job's record, which already holds the decisions. Deduplicated by the job
   * id and a hash of the decisions.
   */
  @Override
  public void enqueueResume(ResumeRequest taken) {
    ObjectNode data = Json.object().put("job_id", taken.jobId());
    if (taken.traceId() != null) data.put("trace_id", taken.traceId());
    ArrayNode decisions = data.putArray("decisions");
    for (Decision decision : taken.decisions()) {
      ObjectNode wire = decisions.addObject().put("type", decision.type());
      switch (decision) {
        case Decision.Edit edit -> wire.set("args", edit.args());
        case Decision.Reject reject -> {
          if (reject.message() != null) wire.put("message", reject.message());
        }
        case Decision.Approve approve -> {}
      }
    }
    byte[] body = Json.writeBytes(data);
    Headers headers =
        headers(
                JobParser.RESUME_TYPE,
                taken.jobId() + "-resume-" + Ids.uuid(),
                taken.jobId(),
                taken.tenant(),
                taken.trace())
            .add(RESUME_TAKEN_HEADER, "true");
    publish(taken.jobId(), headers, body, messageId(taken.jobId() + "-resume", body), "resume");
  }

  /** Publishes to the job's subject once NATS acknowledges it, or throws an outage. */
  private void publish(String jobId, Headers headers, byte[] body, String messageId, String what) {
    if (!connector.isReady())
      throw new BackendUnavailableException("nats", connector.status(), null);
    PublishOptions options =
        PublishOptions.builder()
            .messageId(messageId)
            .expectedStream(stream)
            .streamTimeout(NatsConnector.REQUEST_TIMEOUT)
            .build();
    try {
      connector.jetStream().publish(subject(jobId), headers, body, options);
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw new BackendUnavailableException(
          "nats", "queueing the " + what + " of job " + jobId + ": " + e.getMessage(), e);
    }
  }

  /** The job id and the first 8 bytes of the SHA-256 of the job as sent, in hex. */
  static String messageId(String jobId, byte[] body) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(body);
      return jobId + "-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The subject of a job: every wildcard token of NATS_SUBJECT replaced by its id. */
  String subject(String jobId) {
    String token = jobId.replace('.', '_');
    String[] parts = subjectPattern.split("\\.", -1);
    for (int i = 0; i < parts.length; i++)
      if (parts[i].equals("*") || parts[i].equals(">")) parts[i] = token;
    return String.join(".", parts);
  }

  /** A binary-mode CloudEvent's headers, the caller's tenant as its {@code tenant} extension. */
  private static Headers headers(
      String type, String id, String subject, String tenant, TraceContext trace) {
    Headers headers =
        new Headers()
            .add("Content-Type", "application/json")
            .add("ce-specversion", "1.0")
            .add("ce-id", id)
            .add("ce-source", SOURCE)
            .add("ce-type", type)
            .add("ce-subject", subject)
            .add("ce-" + Tenants.ATTRIBUTE, tenant);
    if (trace != null) {
      headers.add("traceparent", trace.traceparent());
      if (trace.tracestate() != null) headers.add("tracestate", trace.tracestate());
    }
    return headers;
  }
}
