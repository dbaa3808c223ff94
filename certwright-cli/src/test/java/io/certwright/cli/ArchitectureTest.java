package io.certwright.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/// The command line uses the CA's public API only.
class ArchitectureTest {

    private static final JavaClasses CLI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.certwright.cli");

    @Test
    void theCliUsesNeitherCaInternalsNorBouncyCastle() {
        noClasses().that().resideInAPackage("io.certwright.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.certwright.ca.internal..", "org.bouncycastle..")
                .check(CLI);
    }
}
