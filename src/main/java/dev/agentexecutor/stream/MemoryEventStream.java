package dev.agentexecutor.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Per-thread event logs in process memory: the embedded default. Each follower has its own virtual
 * thread that waits on the log, so a slow follower never slows the publisher.
 */
public final class MemoryEventStream implements EventStream {
  private final Map<String, ThreadLog> logs = new ConcurrentHashMap<>();
  private final int maxEventsPerThread;
  private final long ttlNanos;
  private volatile long nextExpiryCheck;

  /**
   * Logs without followers are dropped {@code ttl} after their last event, as Redis expires its
   * streams.
   */
  public MemoryEventStream(int maxEventsPerThread, java.time.Duration ttl) {
    this.maxEventsPerThread = maxEventsPerThread;
    this.ttlNanos = ttl.toNanos();
  }

  public MemoryEventStream(int maxEventsPerThread) {
    this(maxEventsPerThread, java.time.Duration.ofHours(1));
  }

  @Override
  public String publish(String threadId, AgentEvent event) {
    expireIdleLogs();
    return logs.computeIfAbsent(threadId, id -> new ThreadLog()).append(event, maxEventsPerThread);
  }

  /** At most once a second (amortised over publishes), drops logs idle for longer than the TTL. */
  private void expireIdleLogs() {
    long now = System.nanoTime();
    if (now - nextExpiryCheck < 0) return;
    nextExpiryCheck = now + Math.min(1_000_000_000L, ttlNanos);
    logs.entrySet()
        .removeIf(e -> now - e.getValue().lastAppend() > ttlNanos && e.getValue().clearIfIdle());
  }

  @Override
  public Subscription follow(String threadId, String afterId, Consumer<StreamedEvent> listener) {
    ThreadLog log = logs.computeIfAbsent(threadId, id -> new ThreadLog());
    long after = afterId == null || afterId.isBlank() ? 0 : parseId(afterId);
    Thread follower =
        Thread.ofVirtual()
            .name("memory-stream-follow-" + threadId)
            .start(() -> log.deliver(after, listener));
    return follower::interrupt;
  }

  @Override
  public Optional<StreamedEvent> last(String threadId) {
    ThreadLog log = logs.get(threadId);
    return log == null ? Optional.empty() : log.last();
  }

  @Override
  public void delete(String threadId) {
    ThreadLog removed = logs.remove(threadId);
    if (removed != null) removed.clear();
  }

  private static long parseId(String id) {
    try {
      return Long.parseLong(id.contains("-") ? id.substring(0, id.indexOf('-')) : id);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * One thread's events; sequence numbers start at 1 and are the event ids. Followers wait on a
   * condition of its lock (not a monitor's wait(), which would pin their virtual threads).
   */
  private static final class ThreadLog {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final List<StreamedEvent> events = new ArrayList<>();
    private long firstSequence = 1;
    private long nextSequence = 1;
    private volatile long lastAppend = System.nanoTime();
    private int followers;

    long lastAppend() {
      return lastAppend;
    }

    /** Clears the log unless someone follows it; true when cleared. */
    boolean clearIfIdle() {
      lock.lock();
      try {
        if (followers > 0) return false;
        clear();
        return true;
      } finally {
        lock.unlock();
      }
    }

    String append(AgentEvent event, int cap) {
      lock.lock();
      try {
        lastAppend = System.nanoTime();
        String id = Long.toString(nextSequence++);
        events.add(new StreamedEvent(id, event));
        if (events.size() > cap) {
          events.remove(0);
          firstSequence++;
        }
        appended.signalAll();
        return id;
      } finally {
        lock.unlock();
      }
    }

    Optional<StreamedEvent> last() {
      lock.lock();
      try {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
      } finally {
        lock.unlock();
      }
    }

    void clear() {
      lock.lock();
      try {
        events.clear();
        firstSequence = nextSequence;
        appended.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void deliver(long after, Consumer<StreamedEvent> listener) {
      long position = after;
      changeFollowers(1);
      try {
        while (!Thread.currentThread().isInterrupted()) {
          List<StreamedEvent> batch;
          lock.lock();
          try {
            while (nextSequence - 1 <= position) appended.await();
            int from = (int) Math.max(0, position + 1 - firstSequence);
            batch = new ArrayList<>(events.subList(Math.min(from, events.size()), events.size()));
            position = nextSequence - 1;
          } finally {
            lock.unlock();
          }
          for (int i = 0; i < batch.size(); i++) {
            // A run's end is the end of the follow unless a later run of the thread followed it.
            boolean last = batch.get(i).event().isEnd() && i == batch.size() - 1;
            listener.accept(last ? batch.get(i).asLast() : batch.get(i));
            if (last) return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        changeFollowers(-1);
      }
    }

    private void changeFollowers(int by) {
      lock.lock();
      try {
        followers += by;
      } finally {
        lock.unlock();
      }
    }
  }
}
