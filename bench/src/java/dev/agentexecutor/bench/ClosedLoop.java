package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed loop: {@code inFlight} workers, each starting its next job when the last one finished.
 */
final class ClosedLoop {
  /** One job: given its index, does it and returns its latency in nanoseconds. */
  interface Job {
    long run(int index) throws Exception;
  }

  private ClosedLoop() {}

  static ObjectNode run(int inFlight, int jobs, Job job) throws InterruptedException {
    long[] latencies = new long[jobs];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < inFlight; w++) {
      workers.add(
          Thread.ofPlatform()
              .name("bench-loop-" + w)
              .start(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < jobs && failure.get() == null;
                        i = next.getAndIncrement()) {
                      try {
                        latencies[i] = job.run(i);
                      } catch (Exception e) {
                        failure.compareAndSet(null, e);
                      }
                    }
                  }));
    }
    for (Thread worker : workers) worker.join();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failure.get() != null)
      throw new IllegalStateException("a benchmark job failed", failure.get());
    return new Stats(latencies, jobs, seconds).toJson().put("in_flight", inFlight);
  }
}
