package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.StateLimits;
import dev.agentexecutor.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The virtual file system tools of deepagents (ls, read_file, write_file, edit_file, glob, grep),
 * working on the files held in the run's state. Paths are absolute ("/notes.md"). Writes and edits
 * check the state's size limits before they change anything; patterns are matched with RE2/J.
 */
public final class FileTools {
  private static final int DEFAULT_READ_LIMIT = 2000;
  private static final int MAX_LINE_LENGTH = 2000;

  private FileTools() {}

  /** The tools hold no state, so one set serves every agent. */
  private static final List<Tool> ALL =
      List.of(ls(), readFile(), writeFile(), editFile(), glob(), grep());

  public static List<Tool> all() {
    return ALL;
  }

  static Tool ls() {
    return tool(
        new ToolSpec(
            "ls",
            "List the files in the virtual file system, optionally under a directory path.",
            Schemas.object()
                .string("path", "Absolute directory path to list; default /.")
                .required()),
        (args, state) -> {
          String dir = directory(Args.optionalString(args, "path", "/"));
          List<String> paths =
              state.files().keySet().stream().filter(p -> p.startsWith(dir)).toList();
          return ToolResult.ok(
              paths.isEmpty() ? "No files found in " + dir : String.join("\n", paths), state);
        });
  }

  static Tool readFile() {
    return tool(
        new ToolSpec(
            "read_file",
            "Read a file of the virtual file system. Returns numbered lines (cat -n format). Use offset "
                + "(0-based line) and limit to page through long files; by default up to 2000 lines.",
            Schemas.object()
                .string("file_path", "Absolute path of the file.")
                .integer("offset", "Line to start from (0-based); default 0.")
                .integer("limit", "Most lines to return; default 2000.")
                .required("file_path")),
        (args, state) -> {
          String path = path(Args.requiredString(args, "file_path"));
          FileData file = existing(state, path);
          int offset = Args.optionalInt(args, "offset", 0);
          int limit = Args.optionalInt(args, "limit", DEFAULT_READ_LIMIT);
          if (offset < 0 || limit < 1)
            throw new ToolException("offset must be >= 0 and limit >= 1");
          List<String> lines = file.content();
          if (lines.size() == 1 && lines.get(0).isEmpty())
            return ToolResult.ok("System reminder: File exists but has empty contents", state);
          if (offset >= lines.size()) {
            throw new ToolException(
                "line offset " + offset + " exceeds file length (" + lines.size() + " lines)");
          }
          StringJoiner out = new StringJoiner("\n");
          for (int i = offset; i < Math.min(lines.size(), offset + limit); i++) {
            String line = lines.get(i);
            if (line.length() > MAX_LINE_LENGTH) line = line.substring(0, MAX_LINE_LENGTH);
            out.add(String.format("%6d\t%s", i + 1, line));
          }
          return ToolResult.ok(out.toString(), state);
        });
  }

  static Tool writeFile() {
    return tool(
        new ToolSpec(
            "write_file",
            "Create a new file in the virtual file system with the given content. Fails if the file "
                + "exists: read it and use edit_file to change it.",
            Schemas.object()
                .string("file_path", "Absolute path of the new file.")
                .string("content", "The file's content.")
                .required("file_path", "content")),
        (args, state, context) -> {
          String path = path(Args.requiredString(args, "file_path"));
          String content = Args.requiredString(args, "content");
          if (state.files().containsKey(path)) {
            throw new ToolException(
                "cannot write to "
                    + path
                    + " because it already exists. Read and then edit it, or write to a new path.");
          }
          checkSize(state, path, content.length(), context.limits(), "write");
          return ToolResult.ok(
              "Updated file " + path, state.withFile(path, FileData.of(content, context.now())));
        });
  }

  static Tool editFile() {
    return tool(
        new ToolSpec(
            "edit_file",
            "Replace an exact string in a file. old_string must occur exactly once unless replace_all "
                + "is true. Read the file first; keep indentation exactly as it is.",
            Schemas.object()
                .string("file_path", "Absolute path of the file.")
                .string("old_string", "The exact text to replace.")
                .string("new_string", "The replacement text.")
                .bool("replace_all", "Replace every occurrence; default false.")
                .required("file_path", "old_string", "new_string")),
        (args, state, context) -> {
          String path = path(Args.requiredString(args, "file_path"));
          String oldString = Args.requiredString(args, "old_string");
          String newString = Args.requiredString(args, "new_string");
          boolean replaceAll = Args.optionalBoolean(args, "replace_all", false);
          FileData file = existing(state, path);
          String text = file.text();
          int[] found = oldString.isEmpty() ? new int[0] : Occurrences.of(text, oldString);
          if (found.length == 0)
            throw new ToolException("string not found in file: '" + preview(oldString) + "'");
          if (found.length > 1 && !replaceAll) {
            throw new ToolException(
                "string '"
                    + preview(oldString)
                    + "' appears "
                    + found.length
                    + " times in the file. Use replace_all=true to replace every one, or give a larger, unique string.");
          }
          int[] replaced = replaceAll ? found : new int[] {found[0]};
          long editedChars =
              text.length() + (long) replaced.length * (newString.length() - oldString.length());
          checkSize(state, path, editedChars, context.limits(), "edit");
          String edited = Occurrences.replace(text, replaced, oldString.length(), newString);
          return ToolResult.ok(
              "Successfully replaced "
                  + replaced.length
                  + " instance(s) of the string in '"
                  + path
                  + "'",
              state.withFile(path, file.withText(edited, context.now())));
        });
  }

  static Tool glob() {
    return tool(
        Tool.Execution.CPU_BOUND,
        new ToolSpec(
            "glob",
            "Find files whose path matches a glob pattern (e.g. **/*.md), under an optional directory.",
            Schemas.object()
                .string("pattern", "Glob pattern such as *.py or **/*.md.")
                .string("path", "Directory to search from; default /.")
                .required("pattern")),
        (args, state) -> {
          Predicate<String> matcher = globMatcher(Args.requiredString(args, "pattern"));
          String dir = directory(Args.optionalString(args, "path", "/"));
          List<String> matches = new ArrayList<>();
          for (String path : state.files().keySet()) {
            if (Thread.currentThread().isInterrupted())
              throw new ToolException("the search was stopped");
            if (path.startsWith(dir) && matcher.test(path.substring(dir.length())))
              matches.add(path);
          }
          return ToolResult.ok(
              matches.isEmpty() ? "No files found" : String.join("\n", matches), state);
        });
  }

  static Tool grep() {
    return tool(
        Tool.Execution.CPU_BOUND,
        new ToolSpec(
            "grep",
            "Search file contents for a regular expression. output_mode: files_with_matches (default), "
                + "content (matching lines with file and line number) or count.",
            Schemas.object()
                .string("pattern", "Regular expression to search for.")
                .string("path", "Directory to search in; default /.")
                .string("glob", "Only search files matching this glob, e.g. *.md.")
                .enumeration(
                    "output_mode",
                    "What to return.",
                    List.of("files_with_matches", "content", "count"))
                .required("pattern")),
        (args, state, context) -> {
          Pattern regex = SafeRegex.compile(Args.requiredString(args, "pattern"));
          int maxOutput = context.limits().maxToolResultChars();
          String dir = directory(Args.optionalString(args, "path", "/"));
          String globPattern = Args.optionalString(args, "glob", null);
          Predicate<String> fileFilter = globPattern == null ? null : globMatcher(globPattern);
          String mode = Args.optionalString(args, "output_mode", "files_with_matches");
          if (!List.of("files_with_matches", "content", "count").contains(mode)) {
            throw new ToolException("output_mode must be files_with_matches, content or count");
          }
          StringBuilder out = new StringBuilder();
          for (Map.Entry<String, FileData> file : state.files().entrySet()) {
            if (out.length() > maxOutput) break; // the result is cut at the limit anyway
            String path = file.getKey();
            if (!path.startsWith(dir)) continue;
            if (fileFilter != null
                && !fileFilter.test(path.substring(path.lastIndexOf('/') + 1))
                && !fileFilter.test(path.substring(dir.length()))) continue;
            List<String> lines = file.getValue().content();
            int hits = 0;
            for (int i = 0; i < lines.size(); i++) {
              if (Thread.currentThread().isInterrupted())
                throw new ToolException("the search was stopped");
              if (!SafeRegex.find(regex, lines.get(i))) continue;
              hits++;
              if (mode.equals("content"))
                out.append(path)
                    .append(':')
                    .append(i + 1)
                    .append(':')
                    .append(lines.get(i))
                    .append('\n');
            }
            if (hits > 0 && mode.equals("files_with_matches")) out.append(path).append('\n');
            if (hits > 0 && mode.equals("count"))
              out.append(path).append(':').append(hits).append('\n');
          }
          return ToolResult.ok(
              out.isEmpty() ? "No matches found" : out.toString().stripTrailing(), state);
        });
  }

  private static FileData existing(AgentState state, String path) {
    FileData file = state.files().get(path);
    if (file == null) throw new ToolException("file '" + path + "' not found");
    return file;
  }

  /** The start of a long argument, for error messages that must stay short. */
  private static String preview(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  /**
   * Refuses a write or edit that would make {@code path} hold {@code chars} characters against the
   * limits on one file, on the number of files and on the whole file system, before anything
   * changes.
   */
  private static void checkSize(
      AgentState state, String path, long chars, StateLimits limits, String verb) {
    String refused = "cannot " + verb + " " + path + ": ";
    if (chars > limits.maxFileChars()) {
      throw new ToolException(
          refused
              + "the file would have "
              + chars
              + " characters, over the limit of "
              + limits.maxFileChars()
              + " per file (MAX_FILE_CHARS). Nothing was changed; split the content into several files.");
    }
    FileData before = state.files().get(path);
    if (before == null && state.files().size() >= limits.maxFiles()) {
      throw new ToolException(
          refused
              + "the file system already holds "
              + state.files().size()
              + " files, its limit (MAX_FILES). Nothing was changed; edit an existing file instead.");
    }
    long total =
        StateLimits.totalChars(state.files())
            - (before == null ? 0 : path.length() + before.chars())
            + path.length()
            + chars;
    if (total > limits.maxFilesTotalChars()) {
      throw new ToolException(
          refused
              + "the file system would hold "
              + total
              + " characters, over its limit of "
              + limits.maxFilesTotalChars()
              + " (MAX_FILES_TOTAL_CHARS). Nothing was changed; write less.");
    }
  }

  /**
   * The absolute, normalised form of a path: relative paths are taken from the root, repeated
   * slashes and "." segments are dropped; ".." segments, home paths, control characters and paths
   * longer than {@link StateLimits#MAX_PATH_CHARS} are refused.
   */
  static String path(String raw) {
    String p = raw.strip();
    if (p.isEmpty()) throw new ToolException("file path must not be empty");
    if (p.length() > StateLimits.MAX_PATH_CHARS) {
      throw new ToolException(
          "the path has " + p.length() + " characters; the limit is " + StateLimits.MAX_PATH_CHARS);
    }
    for (int i = 0; i < p.length(); i++) {
      if (Character.isISOControl(p.charAt(i)))
        throw new ToolException("the path must not contain control characters");
    }
    if (p.startsWith("~"))
      throw new ToolException(
          "path '" + raw + "' must not start with '~': paths are absolute, from /");
    StringBuilder normal = new StringBuilder();
    for (String segment : p.split("/")) {
      if (segment.equals("..")) throw new ToolException("path '" + raw + "' must not contain '..'");
      if (segment.isEmpty() || segment.equals(".")) continue;
      normal.append('/').append(segment);
    }
    return normal.isEmpty() ? "/" : normal.toString();
  }

  /** Matches a path relative to the search directory against a glob (see {@link Glob}). */
  private static Predicate<String> globMatcher(String pattern) {
    Pattern glob = Glob.compile(pattern);
    return relative -> SafeRegex.find(glob, relative);
  }

  private static String directory(String raw) {
    String p = path(raw);
    return p.endsWith("/") ? p : p + "/";
  }

  /** A tool from a spec and a function of (args, state, context). */
  private static Tool tool(Tool.Execution execution, ToolSpec spec, StateFunction body) {
    return new Tool() {
      @Override
      public ToolSpec spec() {
        return spec;
      }

      @Override
      public Execution execution() {
        return execution;
      }

      @Override
      public ToolResult call(ObjectNode args, AgentState state, ToolCallContext context) {
        return body.apply(args, state, context);
      }
    };
  }

  private static Tool tool(ToolSpec spec, StateFunction body) {
    return tool(Tool.Execution.INLINE, spec, body);
  }

  private static Tool tool(ToolSpec spec, BiFunction<ObjectNode, AgentState, ToolResult> body) {
    return tool(spec, (args, state, context) -> body.apply(args, state));
  }

  private static Tool tool(
      Tool.Execution execution,
      ToolSpec spec,
      BiFunction<ObjectNode, AgentState, ToolResult> body) {
    return tool(execution, spec, (args, state, context) -> body.apply(args, state));
  }

  @FunctionalInterface
  private interface StateFunction {
    ToolResult apply(ObjectNode args, AgentState state, ToolCallContext context);
  }
}
