package dev.agentexecutor.ingress.http;

import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.job.InvalidJobException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body up to MAX_PAYLOAD_BYTES, answering a precise 413 when it is larger. */
final class RequestBody {
  private RequestBody() {}

  static byte[] read(Context ctx, long maxBytes) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) throw tooLarge(declared, maxBytes);
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (body.length > maxBytes) throw tooLarge(-1, maxBytes);
      return body;
    }
  }

  private static InvalidJobException tooLarge(long size, long maxBytes) {
    String actual = size >= 0 ? "is " + size + " bytes" : "is larger than that";
    return InvalidJobException.badRequest(
        ProblemCode.BODY_TOO_LARGE,
        "$",
        "the body " + actual + "; the limit is " + maxBytes + " bytes (MAX_PAYLOAD_BYTES)");
  }
}
