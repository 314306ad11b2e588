package dev.agentexecutor.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.util.Json;
import java.io.IOException;

/**
 * A request or message body read as JSON under limits that hostile input cannot get around: bounded
 * nesting and number length, duplicate keys refused as ambiguous. Every failure, including
 * Jackson's limit errors (whose location is null), becomes an {@link InvalidJobException}.
 */
final class JsonBody {
  /** Deep enough for any real definition or tool schema; shallow enough that recursion is safe. */
  static final int MAX_NESTING_DEPTH = 200;

  /** Longer numbers are not data anyone sends: BigDecimal parsing of them costs quadratic time. */
  static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectMapper READER =
      Json.MAPPER
          .copyWith(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .build())
                  .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          // "{} {}" is not one JSON document: what follows the first value must not be ignored.
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBody() {}

  /** The JSON tree of {@code body}; {@code path} names where the body sits, for the problem. */
  static JsonNode parse(byte[] body, String path) {
    if (body == null || body.length == 0) {
      throw InvalidJobException.badRequest(ProblemCode.BODY_EMPTY, path, "the body is empty");
    }
    try {
      JsonNode tree = READER.readTree(body);
      if (tree == null || tree.isMissingNode()) {
        throw InvalidJobException.badRequest(
            ProblemCode.BODY_EMPTY, path, "the body holds no JSON value");
      }
      return tree;
    } catch (StreamConstraintsException e) {
      throw InvalidJobException.badRequest(
          ProblemCode.BODY_JSON_LIMIT,
          path,
          "JSON beyond this service's limits: "
              + withoutJacksonHints(e.getOriginalMessage())
              + " (at most "
              + MAX_NESTING_DEPTH
              + " levels of nesting and "
              + MAX_NUMBER_LENGTH
              + "-digit numbers)");
    } catch (JsonProcessingException e) {
      throw InvalidJobException.badRequest(
          ProblemCode.BODY_NOT_JSON,
          path,
          "not valid JSON: " + withoutJacksonHints(e.getOriginalMessage()) + where(e));
    } catch (IOException e) {
      throw InvalidJobException.badRequest(ProblemCode.BODY_NOT_JSON, path, "not readable JSON");
    }
  }

  /** The tree when {@code body} is valid JSON within the limits, else null; never throws. */
  static JsonNode parseOrNull(byte[] body) {
    try {
      return parse(body, "$");
    } catch (InvalidJobException e) {
      return null;
    }
  }

  /** The body starts (after whitespace) with '{': worth trying as a JSON object. */
  static boolean startsLikeAnObject(byte[] body) {
    if (body == null) return false;
    for (byte b : body) {
      if (!Character.isWhitespace(b)) return b == '{';
    }
    return false;
  }

  private static String where(JsonProcessingException e) {
    var location = e.getLocation();
    return location == null
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /** Jackson's messages name its own classes and settings; callers need only the first clause. */
  private static String withoutJacksonHints(String message) {
    if (message == null) return "unreadable input";
    String text = message;
    int hint = text.indexOf(", from `");
    if (hint >= 0) text = text.substring(0, hint) + ")";
    int newline = text.indexOf('\n');
    if (newline >= 0) text = text.substring(0, newline);
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
