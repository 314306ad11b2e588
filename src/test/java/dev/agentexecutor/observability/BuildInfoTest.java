package dev.agentexecutor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.util.Json;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's version and commit, read from the jar manifest, and their place in GET /health. */
class BuildInfoTest {
  @TempDir Path temp;

  private static Manifest manifest(String version, String commit) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (version != null)
      manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    if (commit != null) manifest.getMainAttributes().put(BuildInfo.GIT_COMMIT, commit);
    return manifest;
  }

  @Test
  void theManifestGivesVersionAndCommit() {
    assertThat(BuildInfo.from(manifest("1.2.3", "0123456789abcdef0123456789abcdef01234567")))
        .isEqualTo(new BuildInfo("1.2.3", "0123456789abcdef0123456789abcdef01234567"));
  }

  @Test
  void missingBlankOrUnresolvedEntriesAreDevAndUnknown() {
    assertThat(BuildInfo.from(manifest(null, null))).isEqualTo(new BuildInfo("dev", "unknown"));
    assertThat(BuildInfo.from(manifest(" ", ""))).isEqualTo(new BuildInfo("dev", "unknown"));
    assertThat(BuildInfo.from(manifest("1.0.0", "${git.commit.id}")))
        .isEqualTo(new BuildInfo("1.0.0", "unknown"));
  }

  @Test
  void aClassLoadedFromAJarReportsThatJarsManifest() throws Exception {
    Path jar = temp.resolve("service.jar");
    String entry = BuildInfo.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out =
            new JarOutputStream(Files.newOutputStream(jar), manifest("4.5.6", "feedbeef"));
        var classFile = BuildInfo.class.getResourceAsStream("/" + entry)) {
      out.putNextEntry(new JarEntry(entry));
      classFile.transferTo(out);
      out.closeEntry();
    }
    // A loader that does not delegate to the test's, so the class really comes from the jar.
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      Class<?> fromJar = loader.loadClass(BuildInfo.class.getName());
      assertThat(BuildInfo.load(fromJar)).isEqualTo(new BuildInfo("4.5.6", "feedbeef"));
    }
    assertThat(BuildInfo.load(BuildInfoTest.class))
        .as("classes from a directory")
        .isEqualTo(new BuildInfo("dev", "unknown"));
  }

  @Test
  void healthReportsStatusVersionCommitAndTimestamp() {
    try (ServiceHarness service = ServiceHarness.start()) {
      JsonNode health = Json.parse(service.get("/health").body());
      assertThat(health.path("status").asText()).isEqualTo("healthy");
      assertThat(health.path("version").asText()).isEqualTo(BuildInfo.current().version());
      assertThat(health.path("commit").asText()).isEqualTo(BuildInfo.current().commit());
      assertThat(health.path("timestamp").asText()).isNotBlank();
    }
  }
}
