package dev.agentexecutor.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.InterruptRule;
import dev.agentexecutor.agent.tools.FileTools;
import dev.agentexecutor.agent.tools.TaskTool;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.agent.tools.WriteTodosTool;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.util.Json;
import dev.agentexecutor.util.JsonSchemas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One runnable agent: its name, full system prompt, model and tools; the tools whose calls wait for
 * a person's decision; the JSON Schema its final answer must match (null: free text) and when its
 * conversation is summarised. {@code fixedChars} is the size of what every call sends besides the
 * conversation: the prompt and the tool schemas.
 */
record AgentNode(
    String name,
    String systemPrompt,
    ModelConfig model,
    Map<String, Tool> tools,
    List<ToolSpec> toolSpecs,
    Map<String, InterruptRule> interruptOn,
    ObjectNode responseFormat,
    JsonSchemas.Validator answerSchema,
    Summarizer summarizer,
    long fixedChars) {

  /** A node with a free-text answer, summarised at 170,000 tokens keeping 6 messages (tests). */
  static AgentNode of(String name, String systemPrompt, ModelConfig model, List<Tool> tools) {
    return of(name, systemPrompt, model, tools, Map.of(), null, new Summarizer(170_000, 6));
  }

  /** A free-text node with approval rules (tests). */
  static AgentNode of(
      String name,
      String systemPrompt,
      ModelConfig model,
      List<Tool> tools,
      Map<String, InterruptRule> interruptOn) {
    return of(name, systemPrompt, model, tools, interruptOn, null, new Summarizer(170_000, 6));
  }

  static AgentNode of(
      String name,
      String systemPrompt,
      ModelConfig model,
      List<Tool> tools,
      Map<String, InterruptRule> interruptOn,
      ObjectNode responseFormat,
      Summarizer summarizer) {
    Map<String, Tool> byName = new LinkedHashMap<>();
    tools.forEach(t -> byName.put(t.name(), t));
    Map<String, InterruptRule> rules = new LinkedHashMap<>(interruptOn);
    rules.keySet().retainAll(byName.keySet());
    List<ToolSpec> specs = tools.stream().map(Tool::spec).toList();
    String prompt =
        responseFormat == null
            ? systemPrompt
            : systemPrompt + "\n\n" + StructuredAnswers.instructions(responseFormat);
    long fixedChars = prompt.length();
    for (ToolSpec spec : specs)
      fixedChars += spec.name().length() + spec.description().length() + schemaChars(spec);
    // Ordered, so that the tools are always listed the same way (in error messages, to the model).
    return new AgentNode(
        name,
        prompt,
        model,
        Collections.unmodifiableMap(byName),
        specs,
        Collections.unmodifiableMap(rules),
        responseFormat,
        responseFormat == null ? null : JsonSchemas.compile(responseFormat),
        summarizer,
        fixedChars);
  }

  /**
   * The built-in tools' argument schemas are shared constants: their sizes are counted once, not
   * written out for every node of every job (they were a tenth of a short job's time).
   */
  private static final Map<ObjectNode, Integer> BUILT_IN_SCHEMA_CHARS = builtInSchemaChars();

  private static Map<ObjectNode, Integer> builtInSchemaChars() {
    Map<ObjectNode, Integer> chars = new IdentityHashMap<>();
    List<ObjectNode> schemas = new ArrayList<>();
    FileTools.all().forEach(tool -> schemas.add(tool.spec().parameters()));
    schemas.add(new WriteTodosTool().spec().parameters());
    schemas.add(TaskTool.parameters());
    for (ObjectNode schema : schemas) chars.put(schema, Json.write(schema).length());
    return Collections.unmodifiableMap(chars);
  }

  private static long schemaChars(ToolSpec spec) {
    Integer known = BUILT_IN_SCHEMA_CHARS.get(spec.parameters());
    return known != null ? known : Json.write(spec.parameters()).length();
  }
}
