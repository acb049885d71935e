package io.github.obskit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;

class AutoConfigurationImportsTests {

  private static final String IMPORTS =
      "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

  @Test
  void importsAreSorted() throws Exception {
    List<String> imports = imports();

    assertThat(imports).isNotEmpty().isSorted().doesNotHaveDuplicates();
  }

  @Test
  void importsListEveryAutoConfigurationAndNothingElse() throws Exception {
    Set<String> autoConfigurations = new TreeSet<>();
    new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.obskit")
            .stream()
            .filter((javaClass) -> javaClass.isAnnotatedWith(AutoConfiguration.class))
            .forEach((javaClass) -> autoConfigurations.add(javaClass.getName()));

    assertThat(new TreeSet<>(imports())).isEqualTo(autoConfigurations);
  }

  private static List<String> imports() throws Exception {
    try (InputStream in =
        AutoConfigurationImportsTests.class.getClassLoader().getResourceAsStream(IMPORTS)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::trim)
          .filter((line) -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    }
  }
}
