package dev.agentexecutor.ingress.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run viewer's static files, read once from the jar's {@code ui/} folder. Only files found
 * there with a known type are served, so no request path can reach anything else.
 */
final class UiAssets {
  static final String FOLDER = "ui";
  static final String INDEX = "index.html";

  /**
   * Vendored libraries live in versioned folders (vendor/preact-11.2.0/...): their bytes never
   * change.
   */
  private static final String VENDOR_PREFIX = "vendor/";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "mjs", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "json", "application/json",
          "txt", "text/plain; charset=utf-8",
          "md", "text/plain; charset=utf-8");

  /** One file: its bytes, Content-Type, strong ETag and Cache-Control. */
  record Asset(byte[] body, String contentType, String etag, String cacheControl) {}

  private final Map<String, Asset> assets;

  private UiAssets(Map<String, Asset> assets) {
    this.assets = Map.copyOf(assets);
  }

  static UiAssets load() {
    Map<String, Asset> assets = new LinkedHashMap<>();
    ClasspathFolder.read(FOLDER)
        .forEach(
            (path, body) ->
                type(path)
                    .ifPresent(
                        type ->
                            assets.put(
                                path, new Asset(body, type, etag(body), cacheControl(path)))));
    return new UiAssets(assets);
  }

  Optional<Asset> find(String path) {
    return Optional.ofNullable(assets.get(path));
  }

  /** By extension; a file without one (LICENSE) is plain text; any other type is not served. */
  private static Optional<String> type(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    if (dot < 0) return Optional.of("text/plain; charset=utf-8");
    return Optional.ofNullable(TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }

  /**
   * Vendored files for a year; the page and our own modules are revalidated (ETag) on every load.
   */
  private static String cacheControl(String path) {
    return path.startsWith(VENDOR_PREFIX) ? "public, max-age=31536000, immutable" : "no-cache";
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
