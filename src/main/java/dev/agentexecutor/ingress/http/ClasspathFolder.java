package dev.agentexecutor.ingress.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of one folder that the build packed with the service (in the jar, or in target/classes
 * when run from the build), read whole: listing a resource folder through the class loader fails in
 * jars without directory entries, so the jar itself is opened.
 */
final class ClasspathFolder {
  private ClasspathFolder() {}

  /**
   * Each regular file under {@code folder}, by its path relative to the folder ("a/b.js"), in name
   * order.
   */
  static Map<String, byte[]> read(String folder) {
    Path codeSource = codeSource();
    if (Files.isDirectory(codeSource)) return readTree(codeSource.resolve(folder));
    try (FileSystem jar = FileSystems.newFileSystem(codeSource, Map.of())) {
      return readTree(jar.getPath(folder));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder + " from " + codeSource, e);
    }
  }

  private static Map<String, byte[]> readTree(Path root) {
    Map<String, byte[]> files = new TreeMap<>();
    if (!Files.isDirectory(root)) return files;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root, e);
    }
  }

  private static Path codeSource() {
    try {
      return Path.of(
          ClasspathFolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the service's jar", e);
    }
  }
}
