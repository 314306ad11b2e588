package dev.agentexecutor.agent;

import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.StateLimits;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Files the loop itself writes into a job's virtual file system (summarised history, large tool
 * results), held to the state's limits: a file that would break them is cut to fit, or not written
 * when even that would not fit.
 */
final class JobFiles {
  private JobFiles() {}

  /** A path segment made of an id a model chose: letters, digits, '_' and '-' only. */
  static String segment(String id) {
    String safe = id == null ? "" : id.replaceAll("[^A-Za-z0-9_-]", "_");
    if (safe.length() > 128) safe = safe.substring(0, 128);
    return safe.isEmpty() ? "_" : safe;
  }

  /** The next free {@code folder/{n}.md}, n from 1. */
  static String nextNumbered(Map<String, FileData> files, String folder) {
    int n = 1;
    while (files.containsKey(folder + "/" + n + ".md")) n++;
    return folder + "/" + n + ".md";
  }

  /** The state with {@code text} at {@code path}, or null when the file cannot fit the limits. */
  static AgentState write(
      AgentState state, String path, String text, StateLimits limits, Instant now) {
    String fitted = text;
    if (fitted.length() > limits.maxFileChars()) {
      String note = "\n\n[cut: the rest did not fit MAX_FILE_CHARS]";
      fitted = text.substring(0, (int) Math.max(0, limits.maxFileChars() - note.length())) + note;
    }
    Map<String, FileData> files = new TreeMap<>(state.files());
    files.put(path, FileData.of(fitted, now));
    if (limits.problem(files) != null) return null;
    return state.withFiles(files);
  }
}
