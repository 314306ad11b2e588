package dev.agentexecutor.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ordered set of SQL migrations, read from a directory or from {@code migrations/} inside the
 * jar; file names follow {@code NNN_name.up.sql} / {@code NNN_name.down.sql}, as the script
 * expects.
 */
public record Migrations(List<Migration> all) {
  /** Where the build puts the SQL files inside the jar (and in target/classes). */
  public static final String CLASSPATH_DIRECTORY = "migrations";

  private static final Pattern UP_FILE = Pattern.compile("([0-9]+)_([A-Za-z0-9_]+)\\.up\\.sql");

  public Migrations {
    all = List.copyOf(all);
  }

  /** The migrations packaged with the service. */
  public static Migrations fromClasspath() {
    Path codeSource = codeSource();
    if (Files.isDirectory(codeSource))
      return fromDirectory(codeSource.resolve(CLASSPATH_DIRECTORY));
    try (FileSystem jar = FileSystems.newFileSystem(codeSource, Map.of())) {
      return fromDirectory(jar.getPath(CLASSPATH_DIRECTORY));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migrations from " + codeSource, e);
    }
  }

  /** The migrations in {@code directory} (e.g. MIGRATION_DIR), ordered by numeric version. */
  public static Migrations fromDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("migration directory " + directory + " does not exist");
    }
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> upFiles =
          files.filter(f -> f.getFileName().toString().endsWith(".up.sql")).toList();
      List<Migration> migrations = new ArrayList<>();
      for (Path upFile : upFiles) migrations.add(read(upFile));
      migrations.sort(Comparator.comparing((Migration m) -> Long.parseLong(m.version())));
      rejectDuplicateVersions(migrations);
      return new Migrations(migrations);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migrations from " + directory, e);
    }
  }

  private static Migration read(Path upFile) throws IOException {
    String fileName = upFile.getFileName().toString();
    Matcher parts = UP_FILE.matcher(fileName);
    if (!parts.matches()) {
      throw new IllegalArgumentException(
          "migration file '" + fileName + "' is not named NNN_name.up.sql");
    }
    byte[] up = Files.readAllBytes(upFile);
    Path downFile = upFile.resolveSibling(fileName.replace(".up.sql", ".down.sql"));
    String down =
        Files.exists(downFile) ? Files.readString(downFile, StandardCharsets.UTF_8) : null;
    return new Migration(
        parts.group(1), parts.group(2), new String(up, StandardCharsets.UTF_8), down, sha256(up));
  }

  private static void rejectDuplicateVersions(List<Migration> sorted) {
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).version().equals(sorted.get(i - 1).version())) {
        throw new IllegalArgumentException(
            "two migrations have version " + sorted.get(i).version());
      }
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The jar or class directory this class was loaded from. Listing a resource directory through the
   * class loader fails in jars without directory entries, so the files are read from there.
   */
  private static Path codeSource() {
    try {
      return Path.of(Migrations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the service's jar", e);
    }
  }
}
