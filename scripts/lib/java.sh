#!/usr/bin/env bash
# Sourced by the project's scripts: picks a JDK >= 21 and exports JAVA_HOME, or fails clearly.
# Order: an existing JAVA_HOME that is new enough, then any JDK under /usr/lib/jvm (newest first).

java_major() { # $1 = java binary; prints the feature release number (17, 21, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

pick_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME="$candidate"; return 0; fi
  done
  echo "error: agent-executor needs a JDK 21 or newer (javac), and none was found." >&2
  echo "       Set JAVA_HOME to one, or install one under /usr/lib/jvm (e.g. apt-get install openjdk-21-jdk-headless)." >&2
  return 1
}

pick_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava warns on JDK 24+; the warning is noise, not an error.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "error: Maven (mvn) is not installed. Install it (apt-get install maven) and try again." >&2
  exit 1
fi
