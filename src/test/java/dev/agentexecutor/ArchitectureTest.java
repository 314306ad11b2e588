package dev.agentexecutor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of docs/architecture.md, checked on the service's compiled classes: no cycle
 * between packages, dependencies only downwards through the layers (core, support, domain,
 * adapters, app, command line), and nothing below the adapters importing one.
 */
@AnalyzeClasses(
    packages = "dev.agentexecutor",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "dev.agentexecutor";

  /** The ports and the in-process implementations beside them; their subpackages are adapters. */
  private static final String[] DOMAIN = {
    "dev.agentexecutor.agent..",
    "dev.agentexecutor.job..",
    "dev.agentexecutor.runner..",
    "dev.agentexecutor.model",
    "dev.agentexecutor.checkpoint",
    "dev.agentexecutor.store",
    "dev.agentexecutor.stream",
    "dev.agentexecutor.publish",
    "dev.agentexecutor.cancel"
  };

  /** Everything that talks to a library of the outside world: databases, brokers, HTTP, LLMs. */
  private static final String[] ADAPTERS = {
    "dev.agentexecutor.model.provider..",
    "dev.agentexecutor.checkpoint.postgres..",
    "dev.agentexecutor.store.postgres..",
    "dev.agentexecutor.postgres..",
    "dev.agentexecutor.stream.redis..",
    "dev.agentexecutor.nats..",
    "dev.agentexecutor.publish.nats..",
    "dev.agentexecutor.cancel.postgres..",
    "dev.agentexecutor.ingress.."
  };

  @ArchTest
  static final ArchRule topLevelPackagesHaveNoCycles =
      slices().matching("dev.agentexecutor.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noTwoPackagesDependOnEachOther =
      slices().matching("dev.agentexecutor.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule coreImportsNothingOfTheService =
      noClasses()
          .that()
          .resideInAPackage("dev.agentexecutor.core..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages("dev.agentexecutor.core..", "java..", "com.fasterxml.jackson..")
          .because("core holds the shared value types every other layer builds on");

  @ArchTest
  static final ArchRule layersDependOnlyDownwards =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Core")
          .definedBy("dev.agentexecutor.core..")
          .layer("Util")
          .definedBy("dev.agentexecutor.util..")
          .layer("Support")
          .definedBy("dev.agentexecutor.observability..", "dev.agentexecutor.config..")
          .layer("Domain")
          .definedBy(DOMAIN)
          .layer("Adapters")
          .definedBy(ADAPTERS)
          .layer("App")
          .definedBy("dev.agentexecutor.app..")
          .layer("Cli")
          .definedBy("dev.agentexecutor.cli..")
          .layer("Entry")
          .definedBy(ROOT)
          .whereLayer("Entry")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Cli")
          .mayOnlyBeAccessedByLayers("Entry")
          .whereLayer("App")
          .mayOnlyBeAccessedByLayers("Cli")
          .whereLayer("Adapters")
          .mayOnlyBeAccessedByLayers("App", "Cli")
          .whereLayer("Domain")
          .mayOnlyBeAccessedByLayers("Adapters", "App", "Cli")
          .whereLayer("Support")
          .mayOnlyBeAccessedByLayers("Domain", "Adapters", "App", "Cli", "Entry")
          .whereLayer("Util")
          .mayOnlyBeAccessedByLayers("Support", "Domain", "Adapters", "App", "Cli", "Entry")
          .whereLayer("Core")
          .mayOnlyBeAccessedByLayers(
              "Util", "Support", "Domain", "Adapters", "App", "Cli", "Entry");

  /**
   * Inside the domain: the ports know no agent, the agent knows no job and the job no runner, so
   * the loop can be reused and tested without the execution path around it.
   */
  @ArchTest
  static final ArchRule domainDependsInwards =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Ports")
          .definedBy(
              "dev.agentexecutor.model",
              "dev.agentexecutor.checkpoint",
              "dev.agentexecutor.store",
              "dev.agentexecutor.stream",
              "dev.agentexecutor.publish",
              "dev.agentexecutor.cancel")
          .layer("Agent")
          .definedBy("dev.agentexecutor.agent..")
          .layer("Job")
          .definedBy("dev.agentexecutor.job..")
          .layer("Runner")
          .definedBy("dev.agentexecutor.runner..")
          .whereLayer("Runner")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Job")
          .mayOnlyBeAccessedByLayers("Runner")
          .whereLayer("Agent")
          .mayOnlyBeAccessedByLayers("Job", "Runner")
          .whereLayer("Ports")
          .mayOnlyBeAccessedByLayers("Agent", "Job", "Runner");

  /** The HTTP API needs of the runner only what {@code JobRuns} offers, not the class behind it. */
  @ArchTest
  static final ArchRule ingressKnowsTheRunnerByItsInterfaces =
      noClasses()
          .that()
          .resideInAPackage("dev.agentexecutor.ingress..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.agentexecutor.runner.JobRunner");

  /** Main is the entry point only: it hands the command line to picocli and the cli package. */
  @ArchTest
  static final ArchRule entryPointOnlyKnowsTheCommandLine =
      noClasses()
          .that()
          .resideInAPackage(ROOT)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.agentexecutor.app..",
              "dev.agentexecutor.runner..",
              "dev.agentexecutor.ingress..",
              "dev.agentexecutor.observability..");
}
