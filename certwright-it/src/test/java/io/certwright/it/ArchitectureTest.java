package io.certwright.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// The dependency rules of DESIGN.md, checked on the compiled main classes of every module on the
/// test class path.
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // Other modules' test jars (certwright-acme's DNS and TLS test servers) are test code too.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.certwright");
        // A rule over an empty import passes vacuously; make sure the modules really are there.
        assertThat(main.containPackage("io.certwright.core")).isTrue();
        assertThat(main.containPackage("io.certwright.ca.internal.x509")).isTrue();
        assertThat(main.containPackage("io.certwright.cli")).isTrue();
    }

    @Test
    void onlyTheX509InternalsOfTheCaAndTheAgentImportBouncyCastle() {
        noClasses().that().resideInAPackage("io.certwright..")
                .and().resideOutsideOfPackage("io.certwright.ca.internal.x509..")
                .and().resideOutsideOfPackage("io.certwright.agent.internal.x509..")
                .and().resideOutsideOfPackage("io.certwright.bench..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .check(main);
    }

    @Test
    void coreDependsOnTheJdkAndJSpecifyOnly() {
        classes().that().resideInAPackage("io.certwright.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.net.ssl..", "org.jspecify..",
                        "io.certwright.core..")
                .check(main);
    }

    @Test
    void caInternalsAreUsedOnlyInsideTheCa() {
        noClasses().that().resideOutsideOfPackage("io.certwright.ca..")
                .should().dependOnClassesThat().resideInAPackage("io.certwright.ca.internal..")
                .check(main);
    }

    @Test
    void domainModulesUseNoHttpGrpcOrJsonLibrary() {
        noClasses().that().resideInAnyPackage("io.certwright.core..", "io.certwright.ca..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "io.grpc..",
                        "com.fasterxml.jackson..", "tools.jackson..", "jakarta.servlet..", "picocli..")
                .check(main);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.certwright.(**)").should().beFreeOfCycles().check(main);
    }
}
