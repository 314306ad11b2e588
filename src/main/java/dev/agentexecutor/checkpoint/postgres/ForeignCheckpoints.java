package dev.agentexecutor.checkpoint.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells what in a checkpoint row was not written by this service, so that reading it fails with a
 * reason (LangGraph's checkpoint version, channels, serializer types, LangChain message objects)
 * instead of a decoding error. The cheap checks run on every read; blob contents are looked at only
 * once something is known to be wrong.
 */
final class ForeignCheckpoints {
  static final int FORMAT_VERSION = 1;
  private static final Set<String> CHANNELS =
      new TreeSet<>(
          List.of(
              StateChannels.MESSAGES,
              StateChannels.TODOS,
              StateChannels.EXTRA,
              StateChannels.FILES,
              StateChannels.USAGE,
              StateChannels.MODEL_CALLS));
  private static final Set<String> BLOB_TYPES =
      Set.of(StateChannels.TYPE_JSON, StateChannels.TYPE_DELTA);
  private static final Set<String> NEXT_STEPS = Set.of("model", "tools", "done");

  /**
   * LangChain's serialised objects: {"lc": 1, "type": "constructor", "id": ["langchain_core",
   * "messages", "HumanMessage"], ...}.
   */
  private static final Pattern LANGCHAIN_CLASS =
      Pattern.compile(
          "\"lc\"\\s*:\\s*\\d[^{}]{0,200}?\"id\"\\s*:\\s*\\[[^\\]]{0,200}?\"(\\w+)\"\\s*\\]");

  private ForeignCheckpoints() {}

  /**
   * Everything in the row's document and metadata that this service does not write; empty when it
   * looks like ours.
   */
  static List<String> findings(JsonNode document, JsonNode metadata) {
    List<String> findings = new ArrayList<>();
    if (!document.isObject()) return List.of("the checkpoint document is not a JSON object");
    int version = document.path("v").asInt(-1);
    if (version != FORMAT_VERSION) {
      findings.add(
          "checkpoint format v="
              + document.path("v")
              + " (this service writes v="
              + FORMAT_VERSION
              + ")");
    }
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> names = document.path("channel_versions").fieldNames();
        names.hasNext(); ) {
      String name = names.next();
      if (!CHANNELS.contains(name)) unknown.add(name);
    }
    if (!unknown.isEmpty()) {
      findings.add(
          "channels "
              + String.join(", ", unknown)
              + " are not this service's ("
              + String.join(", ", CHANNELS)
              + ")");
    }
    if (!NEXT_STEPS.contains(metadata.path("next").asText(""))) {
      findings.add(
          "the metadata has no 'next' step (model, tools or done), which this service always records");
    }
    return findings;
  }

  /** The blobs stored with a serializer type this service does not write, by type. */
  static List<String> blobFindings(List<Blob> blobs) {
    TreeMap<String, Set<String>> channelsByType = new TreeMap<>();
    for (Blob blob : blobs) {
      if (!BLOB_TYPES.contains(blob.type())) {
        channelsByType
            .computeIfAbsent(String.valueOf(blob.type()), t -> new TreeSet<>())
            .add(blob.channel());
      }
    }
    List<String> findings = new ArrayList<>();
    channelsByType.forEach(
        (type, channels) ->
            findings.add(
                "serializer type '"
                    + type
                    + "' (channel "
                    + String.join(", ", channels)
                    + "); this service writes only 'json' and 'json-delta'"));
    Set<String> classes = langChainClasses(blobs);
    if (!classes.isEmpty()) {
      findings.add(
          "LangChain serialized objects ("
              + String.join(", ", classes)
              + ") where this service stores plain {role, content} messages");
    }
    return findings;
  }

  private static Set<String> langChainClasses(List<Blob> blobs) {
    Set<String> classes = new LinkedHashSet<>();
    for (Blob blob : blobs) {
      if (blob.bytes() == null) continue;
      Matcher matcher = LANGCHAIN_CLASS.matcher(new String(blob.bytes(), StandardCharsets.UTF_8));
      while (matcher.find() && classes.size() < 10) classes.add(matcher.group(1));
    }
    return classes;
  }
}
