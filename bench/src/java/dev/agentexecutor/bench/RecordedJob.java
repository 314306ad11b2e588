package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.CheckpointSummary;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.checkpoint.PendingWrite;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.TokenListener;
import dev.agentexecutor.model.provider.ModelRouter;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Redactor;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.publish.ResultPublisher;
import dev.agentexecutor.runner.Backends;
import dev.agentexecutor.runner.JobRunner;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.store.JobQuery;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.MemoryJobStore;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.MemoryEventStream;
import dev.agentexecutor.stream.StreamedEvent;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every backend and model operation one run of a job makes, recorded through decorators of the
 * in-memory backends, so that {@link #replay} can do exactly that work without the engine: the
 * floor the engine's overhead is measured against.
 */
final class RecordedJob {
  // Synchronised: parallel tool calls and subagents work on several threads.
  final List<ModelRequest> modelCalls = Collections.synchronizedList(new ArrayList<>());
  final List<Checkpoint> checkpointPuts = Collections.synchronizedList(new ArrayList<>());
  final List<Write> checkpointWrites = Collections.synchronizedList(new ArrayList<>());
  final List<String> checkpointReads = Collections.synchronizedList(new ArrayList<>());
  final List<AgentEvent> events = Collections.synchronizedList(new ArrayList<>());
  final List<JobRecord> jobWrites = Collections.synchronizedList(new ArrayList<>());
  final List<CloudEvent> results = Collections.synchronizedList(new ArrayList<>());
  int jobReads;

  /**
   * A pending write (a finished call of a parallel batch) and the checkpoint it was put against.
   */
  record Write(String namespace, String checkpointId, PendingWrite write) {}

  /** Runs the job once on recording in-memory backends; fails unless it completes. */
  static RecordedJob record(Job job, Settings settings) {
    RecordedJob recorded = new RecordedJob();
    MemoryCheckpointer checkpoints = new MemoryCheckpointer();
    Backends backends =
        new Backends(
            recorded.checkpointer(checkpoints),
            recorded.jobs(new MemoryJobStore(checkpoints)),
            recorded.events(new MemoryEventStream(100_000)),
            recorded.results(new MemoryResultPublisher()));
    ModelClient model = recorded.model(new ModelRouter(settings.model(), new Metrics()));
    JobRunner runner =
        new JobRunner(
            backends,
            model,
            settings,
            new Metrics(),
            new Redactor(List.of()),
            Tracing.disabled(),
            Clock.systemUTC());
    Outcome outcome = runner.execute(job);
    if (!(outcome instanceof Outcome.Completed))
      throw new IllegalStateException("the benchmark job did not complete: " + outcome);
    return recorded;
  }

  ObjectNode counts() {
    return Json.object()
        .put("model_calls", modelCalls.size())
        .put("checkpoint_puts", checkpointPuts.size())
        .put("checkpoint_reads", checkpointReads.size())
        .put("checkpoint_writes", checkpointWrites.size())
        .put("events", events.size())
        .put("job_store_reads", jobReads)
        .put("job_store_writes", jobWrites.size())
        .put("results_published", results.size());
  }

  /** The recorded operations under a new thread id, straight on the given backends and model. */
  void replay(String jobId, Backends backends, ModelClient model) {
    backends.jobs().find(jobId);
    for (String namespace : checkpointReads) backends.checkpointer().latest(jobId, namespace);
    for (ModelRequest request : modelCalls) model.chat(request, TokenListener.NONE);
    for (Checkpoint c : checkpointPuts) {
      backends
          .checkpointer()
          .put(
              new Checkpoint(
                  jobId,
                  c.namespace(),
                  c.id(),
                  c.parentId(),
                  c.step(),
                  c.createdAt(),
                  c.next(),
                  c.state()));
    }
    for (Write w : checkpointWrites)
      backends.checkpointer().putWrite(jobId, w.namespace(), w.checkpointId(), w.write());
    for (AgentEvent event : events) backends.events().publish(jobId, event);
    for (JobRecord r : jobWrites) {
      backends
          .jobs()
          .save(
              new JobRecord(
                  jobId,
                  r.traceId(),
                  r.status(),
                  r.createdAt(),
                  r.updatedAt(),
                  r.resultEvent(),
                  r.error()));
    }
    for (CloudEvent result : results) backends.results().publish(jobId, result);
  }

  private Checkpointer checkpointer(Checkpointer delegate) {
    return new Checkpointer() {
      @Override
      public void put(Checkpoint checkpoint) {
        checkpointPuts.add(checkpoint);
        delegate.put(checkpoint);
      }

      @Override
      public Optional<Checkpoint> latest(String threadId, String namespace) {
        checkpointReads.add(namespace);
        return delegate.latest(threadId, namespace);
      }

      @Override
      public Optional<Checkpoint> get(String threadId, String namespace, String checkpointId) {
        checkpointReads.add(namespace);
        return delegate.get(threadId, namespace, checkpointId);
      }

      @Override
      public List<CheckpointSummary> history(String threadId, String before, int limit) {
        return delegate.history(threadId, before, limit);
      }

      @Override
      public boolean deleteThread(String threadId) {
        return delegate.deleteThread(threadId);
      }

      @Override
      public void putWrite(
          String threadId, String namespace, String checkpointId, PendingWrite write) {
        checkpointWrites.add(new Write(namespace, checkpointId, write));
        delegate.putWrite(threadId, namespace, checkpointId, write);
      }

      @Override
      public List<PendingWrite> writes(String threadId, String namespace, String checkpointId) {
        return delegate.writes(threadId, namespace, checkpointId);
      }
    };
  }

  private JobStore jobs(JobStore delegate) {
    return new JobStore() {
      @Override
      public Optional<JobRecord> find(String jobId) {
        jobReads++;
        return delegate.find(jobId);
      }

      @Override
      public void save(JobRecord record) {
        jobWrites.add(record);
        delegate.save(record);
      }

      @Override
      public boolean transition(String jobId, JobStatus expected, JobRecord next) {
        jobWrites.add(next);
        return delegate.transition(jobId, expected, next);
      }

      @Override
      public List<JobRecord> interruptedBefore(Instant cutoff, int limit) {
        return delegate.interruptedBefore(cutoff, limit);
      }

      @Override
      public boolean delete(String jobId) {
        return delegate.delete(jobId);
      }

      @Override
      public int deleteFinishedBefore(Instant cutoff) {
        return delegate.deleteFinishedBefore(cutoff);
      }

      @Override
      public List<JobRecord> list(JobQuery query) {
        return delegate.list(query);
      }
    };
  }

  private EventStream events(EventStream delegate) {
    return new EventStream() {
      @Override
      public String publish(String threadId, AgentEvent event) {
        events.add(event);
        return delegate.publish(threadId, event);
      }

      @Override
      public Subscription follow(
          String threadId, String afterId, Consumer<StreamedEvent> listener) {
        return delegate.follow(threadId, afterId, listener);
      }

      @Override
      public java.util.Optional<StreamedEvent> last(String threadId) {
        return delegate.last(threadId);
      }

      @Override
      public void delete(String threadId) {
        delegate.delete(threadId);
      }
    };
  }

  private ResultPublisher results(ResultPublisher delegate) {
    return (jobId, result) -> {
      results.add(result);
      delegate.publish(jobId, result);
    };
  }

  private ModelClient model(ModelClient delegate) {
    return (request, tokens) -> {
      modelCalls.add(request);
      return delegate.chat(request, tokens);
    };
  }
}
