package dev.agentexecutor.ingress.http;

import dev.agentexecutor.runner.Caller;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is calling: with API tokens configured, every route but /health, /ready, /metrics and the run
 * viewer's static files (/ui/) needs {@code Authorization: Bearer <token>} (the event streams also
 * take {@code ?access_token=}, as browsers cannot set headers on WebSocket or EventSource), and the
 * token's tenant is the caller. Without tokens every caller is {@link Caller#anyone()}. Tokens are
 * never logged or echoed.
 */
final class Authenticator {
  static final String QUERY_PARAMETER = "access_token";
  private static final Set<String> OPEN_PATHS = Set.of("/health", "/ready", "/metrics");
  private static final Pattern STREAM_PATH =
      Pattern.compile("(/deepagents-runtime)?/stream/[^/]+(/events)?");
  private static final String REALM = "Bearer realm=\"agent-executor\"";

  private final ApiTokens tokens;

  Authenticator(ApiTokens tokens) {
    this.tokens = tokens;
  }

  boolean enabled() {
    return tokens.enabled();
  }

  /**
   * The caller of the request; throws a 401 problem when a token is required and missing or wrong.
   */
  Caller authenticate(Context ctx) {
    if (!tokens.enabled() || OPEN_PATHS.contains(ctx.path()) || isUiAsset(ctx.path()))
      return Caller.anyone();
    String presented =
        bearer(ctx.header("Authorization"))
            .or(
                () ->
                    STREAM_PATH.matcher(ctx.path()).matches()
                        ? Optional.ofNullable(ctx.queryParam(QUERY_PARAMETER))
                        : Optional.empty())
            .orElse(null);
    if (presented == null) {
      throw new ApiProblem(
          401,
          "unauthorized",
          "an API token is required: send Authorization: Bearer <token>",
          Map.of("WWW-Authenticate", REALM));
    }
    return tokens
        .tenantOf(presented)
        .map(Caller::tenant)
        .orElseThrow(
            () ->
                new ApiProblem(
                    401,
                    "unauthorized",
                    "the API token is not valid",
                    Map.of("WWW-Authenticate", REALM + ", error=\"invalid_token\"")));
  }

  /**
   * The run viewer's own files hold no data and a browser cannot attach a token to a page load; the
   * page asks for the token and sends it on every API call, which stays protected.
   */
  private static boolean isUiAsset(String path) {
    return path.equals("/ui") || path.startsWith("/ui/");
  }

  private static Optional<String> bearer(String header) {
    if (header == null) return Optional.empty();
    String value = header.strip();
    if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer "))
      return Optional.empty();
    String token = value.substring(7).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
