# syntax=docker/dockerfile:1
# Production image of agent-executor: built with Maven on a JDK 25, run on a JRE 25 (Ubuntu 24.04
# "noble") as uid/gid 1000 with an AOT cache made by a training run at build time (start-up to
# /ready roughly halves). Holds the migrations and their runner (with psql) for the Deployment's
# init container. Base images are pinned to exact tags; bump them in a reviewed commit.
#
# Build arguments (scripts/ci/build.sh sets both): VERSION becomes the jar's Implementation-Version
# and the image's org.opencontainers.image.version; GIT_COMMIT the jar's Git-Commit and the
# image's org.opencontainers.image.revision. `--version` and GET /health report the same two.

FROM maven:3.9.11-eclipse-temurin-25 AS build
ARG VERSION=0.1.0-SNAPSHOT
ARG GIT_COMMIT=unknown
WORKDIR /src
# Dependencies first, so a source-only change reuses this layer.
# .mvn/jvm.config opens javac to Error Prone, which runs in the compile.
COPY pom.xml .
COPY .mvn ./.mvn
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
COPY migrations ./migrations
COPY examples ./examples
# The build context has no .git: the commit comes from the build argument.
RUN mvn -B -ntp -DskipTests -Drevision="$VERSION" -Dgit.commit.id="$GIT_COMMIT" package \
 && test -f target/agent-executor.jar

FROM eclipse-temurin:25.0.4.1_1-jre-noble
ARG VERSION=0.1.0-SNAPSHOT
ARG GIT_COMMIT=unknown
LABEL org.opencontainers.image.title="agent-executor" \
      org.opencontainers.image.source="https://github.com/arun4infra/agent-executor" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$GIT_COMMIT"
# Ubuntu 24.04 ships user and group "ubuntu" with id 1000: remove them so that uid/gid 1000 (the
# Compositions' runAsUser/runAsGroup) belong to "app", whose home is /app.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client curl \
 && rm -rf /var/lib/apt/lists/* \
 && if id -u ubuntu >/dev/null 2>&1; then userdel --remove ubuntu; fi \
 && if getent group ubuntu >/dev/null; then groupdel ubuntu; fi \
 && groupadd --gid 1000 app \
 && useradd --uid 1000 --gid 1000 --no-create-home --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build --chown=1000:1000 /src/target/agent-executor.jar /app/agent-executor.jar
COPY --chown=1000:1000 migrations/ /app/migrations/
COPY --chown=1000:1000 --chmod=0755 scripts/ci/run-migrations.sh /app/scripts/ci/run-migrations.sh
COPY scripts/lib/aot-train.sh examples/research-team.json /tmp/aot/
RUN /tmp/aot/aot-train.sh /app/agent-executor.jar /app/agent-executor.aot /tmp/aot/research-team.json \
 && chown 1000:1000 /app/agent-executor.aot && rm -rf /tmp/aot
USER 1000:1000
ENV PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:AOTCache=/app/agent-executor.aot", "-Xlog:aot=off", "-Xlog:cds=off", "-jar", "/app/agent-executor.jar", "serve"]
