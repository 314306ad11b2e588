package dev.agentexecutor.observability;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The version and git commit this build was made from, read from the service jar's manifest ({@code
 * Implementation-Version}, {@code Git-Commit}); {@code --version} and GET /health report them, and
 * the image carries the same values as OCI labels.
 */
public record BuildInfo(String version, String commit) {
  /** Version when the classes do not come from a packaged jar (an IDE, {@code mvn test}). */
  public static final String DEV = "dev";

  /** Commit when the build recorded none (no .git and no -Dgit.commit.id). */
  public static final String UNKNOWN = "unknown";

  static final Attributes.Name GIT_COMMIT = new Attributes.Name("Git-Commit");

  private static final BuildInfo CURRENT = load(BuildInfo.class);

  /** The build of the running service. */
  public static BuildInfo current() {
    return CURRENT;
  }

  /**
   * The build recorded in a manifest; absent or blank entries become {@link #DEV} and {@link
   * #UNKNOWN}.
   */
  public static BuildInfo from(Manifest manifest) {
    Attributes main = manifest.getMainAttributes();
    return new BuildInfo(
        present(main.getValue(Attributes.Name.IMPLEMENTATION_VERSION)).orElse(DEV),
        present(main.getValue(GIT_COMMIT)).orElse(UNKNOWN));
  }

  /** The manifest of the jar that holds {@code anchor}, when it was loaded from a jar. */
  static BuildInfo load(Class<?> anchor) {
    return jarOf(anchor)
        .flatMap(BuildInfo::manifest)
        .map(BuildInfo::from)
        .orElse(new BuildInfo(DEV, UNKNOWN));
  }

  /** "1.2.3 (commit 0123abc...)" for the command line and the start-up log. */
  public String describe() {
    return version + " (commit " + commit + ")";
  }

  private static Optional<Path> jarOf(Class<?> anchor) {
    CodeSource source = anchor.getProtectionDomain().getCodeSource();
    if (source == null) return Optional.empty();
    try {
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Manifest> manifest(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return Optional.ofNullable(file.getManifest());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  // A property Maven could not resolve is left as "${...}" or written as an empty value.
  private static Optional<String> present(String value) {
    if (value == null || value.isBlank() || value.startsWith("${")) return Optional.empty();
    return Optional.of(value.strip());
  }
}
