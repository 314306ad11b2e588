package dev.agentexecutor.postgres;

/**
 * One migration: {@code NNN_name.up.sql} and its optional {@code .down.sql}. {@code checksum} is
 * the lower-case hex SHA-256 of the up file's bytes, as {@code sha256sum} prints it.
 */
public record Migration(
    String version, String name, String upSql, String downSql, String checksum) {

  /** The up file's name, for messages. */
  public String fileName() {
    return version + "_" + name + ".up.sql";
  }

  public boolean reversible() {
    return downSql != null;
  }
}
