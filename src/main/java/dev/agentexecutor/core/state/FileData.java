package dev.agentexecutor.core.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** A file of the run's virtual file system, stored as lines like deepagents' FileData. */
public record FileData(
    List<String> content,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("modified_at") Instant modifiedAt) {

  public FileData {
    content = List.copyOf(content);
  }

  public static FileData of(String text, Instant now) {
    return new FileData(List.of(text.split("\n", -1)), now, now);
  }

  public String text() {
    return String.join("\n", content);
  }

  /** The length of {@link #text()}, in characters, without building it. */
  public long chars() {
    long chars = Math.max(0, content.size() - 1); // the line breaks
    for (String line : content) chars += line.length();
    return chars;
  }

  public FileData withText(String text, Instant now) {
    return new FileData(List.of(text.split("\n", -1)), createdAt, now);
  }
}
