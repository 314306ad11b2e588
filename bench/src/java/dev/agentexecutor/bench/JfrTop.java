package dev.agentexecutor.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hot spots of a JFR recording: execution samples counted by their top frame (self time) and by
 * the first frame in the service's own code (where the time is spent from its point of view).
 */
final class JfrTop {
  private static final String OWN = "dev.agentexecutor.";

  private JfrTop() {}

  static String summarise(Path recording, int limit) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> own = new HashMap<>();
    Map<String, Integer> ownInclusive = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        var event = file.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")) continue;
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) continue;
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
        String firstOwn =
            frames.stream()
                .map(f -> name(f.getMethod()))
                .filter(n -> n.startsWith(OWN))
                .findFirst()
                .orElse("(outside dev.agentexecutor)");
        own.merge(firstOwn, 1, Integer::sum);
        frames.stream()
            .map(f -> name(f.getMethod()))
            .filter(n -> n.startsWith(OWN))
            .distinct()
            .forEach(n -> ownInclusive.merge(n, 1, Integer::sum));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT, "%d execution samples in %s%n", samples, recording.getFileName()));
    table(out, "Top frames (self time)", self, samples, limit);
    table(
        out,
        "First dev.agentexecutor frame on the stack (time spent under it, by its nearest own caller)",
        own,
        samples,
        limit);
    table(
        out,
        "dev.agentexecutor methods on the stack (inclusive time)",
        ownInclusive,
        samples,
        limit);
    return out.toString();
  }

  private static void table(
      StringBuilder out, String title, Map<String, Integer> counts, int samples, int limit) {
    out.append("\n").append(title).append("\n\n| % samples | method |\n| ---: | --- |\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(limit)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "| %.1f | `%s` |%n",
                        100.0 * e.getValue() / Math.max(1, samples),
                        e.getKey())));
  }

  private static String name(RecordedMethod method) {
    return method == null ? "?" : method.getType().getName() + "." + method.getName();
  }
}
