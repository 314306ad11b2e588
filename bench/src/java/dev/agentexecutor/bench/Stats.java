package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.util.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Latency samples in nanoseconds, summarised in microseconds, and the median of repeated runs. */
final class Stats {
  private final long[] sorted;
  private final double seconds;

  /**
   * @param seconds wall time the samples took, for the rate (0: no rate)
   */
  Stats(long[] nanos, int count, double seconds) {
    this.sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    this.seconds = seconds;
  }

  int count() {
    return sorted.length;
  }

  double percentileMicros(double p) {
    if (sorted.length == 0) return 0;
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1_000.0;
  }

  double meanMicros() {
    return Arrays.stream(sorted).average().orElse(0) / 1_000.0;
  }

  double perSecond() {
    return seconds <= 0 ? 0 : sorted.length / seconds;
  }

  ObjectNode toJson() {
    ObjectNode json = Json.object();
    json.put("count", count());
    json.put("p50_us", round(percentileMicros(50)));
    json.put("p90_us", round(percentileMicros(90)));
    json.put("p99_us", round(percentileMicros(99)));
    json.put("mean_us", round(meanMicros()));
    json.put("min_us", round(sorted.length == 0 ? 0 : sorted[0] / 1_000.0));
    json.put("max_us", round(sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1_000.0));
    if (seconds > 0) {
      json.put("seconds", round(seconds));
      json.put("per_s", round(perSecond()));
    }
    return json;
  }

  static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }

  /**
   * Repeated runs of one measurement: the run with the median {@code key} is reported, with every
   * run's key and the spread (max - min) / median so that noise is visible.
   */
  static ObjectNode medianRun(List<ObjectNode> runs, String key) {
    List<ObjectNode> ordered = new ArrayList<>(runs);
    ToDoubleFunction<ObjectNode> value = run -> run.path(key).asDouble();
    ordered.sort(Comparator.comparingDouble(value));
    ObjectNode median = ordered.get(ordered.size() / 2).deepCopy();
    ArrayNode all = median.putArray("runs_" + key);
    runs.forEach(run -> all.add(value.applyAsDouble(run)));
    double low = value.applyAsDouble(ordered.get(0));
    double high = value.applyAsDouble(ordered.get(ordered.size() - 1));
    double middle = value.applyAsDouble(median);
    median.put("spread_pct", middle == 0 ? 0 : round(100.0 * (high - low) / middle));
    median.put("repeats", runs.size());
    return median;
  }
}
