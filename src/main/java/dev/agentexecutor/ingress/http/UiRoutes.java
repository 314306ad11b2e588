package dev.agentexecutor.ingress.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.job.DefinitionValidation;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.util.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The browser run viewer at /ui/ (static files from the jar, behind a strict
 * Content-Security-Policy) and the two routes it needs beside the job API: the example jobs ({@code
 * GET /examples}) and definition checks ({@code POST /definitions/validate}). UI_ENABLED=false
 * answers 404 for the viewer and the examples; validation is part of the API and stays.
 */
public final class UiRoutes {
  private static final String[] CLIENT_PREFIXES = {"", "/deepagents-runtime"};

  /**
   * Only the service's own files: no inline script or style, no other origin, no framing. Styles
   * that the page sets from script go through the CSSOM, which style-src does not restrict.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
          + "form-action 'none'; frame-ancestors 'none'";

  private final boolean uiEnabled;
  private final JobParser parser;
  private final long maxPayloadBytes;

  /** Read on first use, not at start-up, so that a service without visitors pays nothing. */
  private final Supplier<UiAssets> assets = lazily(UiAssets::load);

  private final Supplier<ArrayNode> examples = lazily(ExampleJobs::load);

  public UiRoutes(boolean uiEnabled, JobParser parser) {
    this.uiEnabled = uiEnabled;
    this.parser = parser;
    this.maxPayloadBytes = parser.maxPayloadBytes();
  }

  void register(Javalin app) {
    for (String prefix : CLIENT_PREFIXES) {
      app.post(prefix + "/definitions/validate", this::validate);
      app.get(
          prefix + "/examples", uiEnabled ? ctx -> ctx.json(examples.get()) : UiRoutes::turnedOff);
    }
    app.get("/ui", uiEnabled ? this::page : UiRoutes::turnedOff);
    app.get("/ui/<path>", uiEnabled ? this::page : UiRoutes::turnedOff);
  }

  /**
   * Answered explicitly, so that a turned-off viewer is a plain 404 whatever the router does with
   * unknown paths.
   */
  private static void turnedOff(Context ctx) {
    ctx.status(404)
        .json(
            Json.object()
                .put("error", "not_found")
                .put("message", "the run viewer is turned off (UI_ENABLED=false)"));
  }

  private void validate(Context ctx) throws IOException {
    JsonNode document = DefinitionValidation.parseBody(RequestBody.read(ctx, maxPayloadBytes));
    List<Problem> problems = DefinitionValidation.problems(document, parser);
    ObjectNode body = Json.object().put("valid", problems.isEmpty());
    body.set("problems", Json.tree(problems));
    ctx.json(body);
  }

  /**
   * /ui answers with a redirect to /ui/ (relative module paths need the slash); /ui/x with the file
   * x.
   */
  private void page(Context ctx) {
    if (ctx.path().equals("/ui")) {
      String query = ctx.queryString();
      ctx.redirect("/ui/" + (query == null ? "" : "?" + query), HttpStatus.FOUND);
      return;
    }
    String path = ctx.path().substring("/ui/".length());
    UiAssets.Asset asset = assets.get().find(path.isEmpty() ? UiAssets.INDEX : path).orElse(null);
    if (asset == null) {
      ctx.status(404)
          .json(
              Json.object()
                  .put("error", "not_found")
                  .put("message", "no such file in the run viewer"));
      return;
    }
    securityHeaders(ctx);
    ctx.header("Cache-Control", asset.cacheControl());
    ctx.header("ETag", asset.etag());
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.contentType()).result(asset.body());
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
  }

  private static <T> Supplier<T> lazily(Supplier<T> load) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) value = load.get();
        return value;
      }
    };
  }
}
