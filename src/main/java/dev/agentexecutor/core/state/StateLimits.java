package dev.agentexecutor.core.state;

import java.util.Map;

/**
 * How large one job's state may grow: a file, the number of files, the whole file system, a tool
 * result and a message. Sizes count characters (UTF-16 code units, as Java and Jackson do); the
 * checks run before a change is applied, so a state that breaks them is never stored.
 */
public record StateLimits(
    int maxFileChars,
    int maxFiles,
    long maxFilesTotalChars,
    int maxToolResultChars,
    int maxMessageChars) {

  /** The defaults of env-vars.json. */
  public static final StateLimits DEFAULTS =
      new StateLimits(1_048_576, 1000, 16_777_216, 100_000, 1_048_576);

  /** The longest file path, in characters (not configurable: no real tree needs more). */
  public static final int MAX_PATH_CHARS = 4096;

  /** What a file system counts against MAX_FILES_TOTAL_CHARS: every path and every file's text. */
  public static long totalChars(Map<String, FileData> files) {
    long total = 0;
    for (Map.Entry<String, FileData> file : files.entrySet())
      total += file.getKey().length() + file.getValue().chars();
    return total;
  }

  /** Why a file system breaks the limits (the first reason found), or null when it does not. */
  public String problem(Map<String, FileData> files) {
    if (files.size() > maxFiles) {
      return "it holds " + files.size() + " files, over the limit of " + maxFiles + " (MAX_FILES)";
    }
    long total = 0;
    for (Map.Entry<String, FileData> file : files.entrySet()) {
      String path = file.getKey();
      if (path.length() > MAX_PATH_CHARS) {
        return "the path of '"
            + path.substring(0, 64)
            + "...' is longer than "
            + MAX_PATH_CHARS
            + " characters";
      }
      long chars = file.getValue().chars();
      if (chars > maxFileChars) {
        return "'"
            + path
            + "' has "
            + chars
            + " characters, over the limit of "
            + maxFileChars
            + " per file (MAX_FILE_CHARS)";
      }
      total += path.length() + chars;
    }
    if (total > maxFilesTotalChars) {
      return "the files hold "
          + total
          + " characters in all, over the limit of "
          + maxFilesTotalChars
          + " (MAX_FILES_TOTAL_CHARS)";
    }
    return null;
  }
}
