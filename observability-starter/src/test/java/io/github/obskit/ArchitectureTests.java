package io.github.obskit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

class ArchitectureTests {

  private static final JavaClasses starter =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.github.obskit");

  @Test
  void autoConfigurationsLiveUnderTheAutoconfigurePackageAndAreFinal() {
    classes()
        .that()
        .areAnnotatedWith(AutoConfiguration.class)
        .should()
        .resideInAPackage("io.github.obskit.autoconfigure..")
        .andShould()
        .haveModifier(JavaModifier.FINAL)
        .check(starter);
  }

  @Test
  void configurationClassesAreAutoConfigurationsOrNestedInOne() {
    classes()
        .that()
        .areAnnotatedWith(Configuration.class)
        .and()
        .areNotAnnotatedWith(AutoConfiguration.class)
        .should()
        .beNestedClasses()
        .allowEmptyShould(true)
        .check(starter);
  }

  @Test
  void nothingInTheStarterIsPickedUpByComponentScanning() {
    noClasses()
        .that()
        .areNotAnnotatedWith(AutoConfiguration.class)
        .and()
        .areNotNestedClasses()
        .should()
        .beAnnotatedWith(Component.class)
        .orShould()
        .beMetaAnnotatedWith(Component.class)
        .check(starter);
    noClasses()
        .should()
        .beAnnotatedWith(ComponentScan.class)
        .orShould()
        .beAnnotatedWith(SpringBootConfiguration.class)
        .orShould()
        .beAnnotatedWith(EnableAutoConfiguration.class)
        .check(starter);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("io.github.obskit.(**)").should().beFreeOfCycles().check(starter);
  }

  @Test
  void starterNeverDependsOnTheDemoApplication() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.github.obskit.demo..")
        .check(starter);
  }
}
