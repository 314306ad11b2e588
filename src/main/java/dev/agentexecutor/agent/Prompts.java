package dev.agentexecutor.agent;

/**
 * The base system prompt that teaches an agent its built-in tools, appended after the definition's
 * own prompt (as deepagents does), so that definitions only describe the job.
 */
final class Prompts {
  private Prompts() {}

  static final String TODOS =
      """
      ## Planning with write_todos
      For any task of three or more steps, first write a plan with write_todos. Keep exactly one \
      item in_progress while you work on it and mark it completed as soon as it is done; revise \
      the plan when you learn something new. Skip the plan for simple one-step requests.""";

  static final String FILES =
      """
      ## The file system
      You have a virtual file system shared with your subagents: ls, read_file, write_file, \
      edit_file, glob and grep. All paths are absolute and start with /. Save long results, \
      drafts and notes to files instead of repeating them in messages; read a file before you \
      edit it; edit_file replaces an exact, unique string.""";

  static final String TASK =
      """
      ## Delegating with task
      The task tool starts a subagent with a fresh context for a self-contained piece of work. \
      Describe the task completely (the subagent sees nothing of this conversation) and say what \
      it should return or which file it should write. Launch independent tasks together. The \
      subagent's final message comes back to you as the tool result; the user does not see it, \
      so summarise what matters in your own answer.""";

  static String forOrchestrator(String definitionPrompt) {
    return join(definitionPrompt, TODOS, FILES, TASK);
  }

  static String forSubagent(String definitionPrompt) {
    return join(definitionPrompt, TODOS, FILES)
        + "\n\nWhen you are done, reply with your final report: it is returned to the agent that gave you the task.";
  }

  static final String GENERAL_PURPOSE_DESCRIPTION =
      "General-purpose agent for researching complex questions, searching files and content, and "
          + "executing multi-step tasks. It has the same tools as you.";

  static final String GENERAL_PURPOSE_PROMPT =
      "You are a capable assistant completing a task delegated to you by another agent. "
          + "Work through it carefully and report your result.";

  static final String SUMMARY_REQUEST =
      """
      Summarise the conversation above so that the work can continue without it. Keep every \
      fact, decision, open question, file path and result that later steps may need; leave out \
      pleasantries and repetition. Reply with the summary only.""";

  static final String SUMMARY_PREFIX = "Summary of the earlier conversation:\n";

  private static String join(String... parts) {
    StringBuilder prompt = new StringBuilder();
    for (String part : parts) {
      if (part == null || part.isBlank()) continue;
      if (!prompt.isEmpty()) prompt.append("\n\n");
      prompt.append(part.strip());
    }
    return prompt.toString();
  }
}
