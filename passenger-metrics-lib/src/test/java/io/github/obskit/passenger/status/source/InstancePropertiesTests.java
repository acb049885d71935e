package io.github.obskit.passenger.status.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstancePropertiesTests {

  @Test
  void readsTheTopLevelMembersOfAStyledDocument() {
    Map<String, Object> properties =
        InstanceProperties.parse(
            """
            {
               "instance_dir" : { "created_at" : 1773697170, "major_version" : 5, "path" : "/tmp/x" },
               "name" : "bD4s\\"q\\u00e9\\n",
               "ratio" : -1.5e2,
               "flags" : [ true, false, null ],
               "watchdog_pid" : 61
            }
            """);

    assertThat(properties)
        .containsEntry("name", "bD4s\"qé\n")
        .containsEntry("watchdog_pid", 61L)
        .containsEntry("ratio", -150.0)
        .containsEntry("flags", java.util.Arrays.asList(true, false, null));
    assertThat(properties.get("instance_dir"))
        .isEqualTo(Map.of("created_at", 1773697170L, "major_version", 5L, "path", "/tmp/x"));
    assertThat(InstanceProperties.parse("{}")).isEmpty();
    assertThat(InstanceProperties.parse("{\"a\":[]}")).containsEntry("a", List.of());
  }

  @Test
  void rejectsTruncatedOrNonObjectDocuments() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InstanceProperties.parse("{\"name\": \"x\", "));
    assertThatIllegalArgumentException().isThrownBy(() -> InstanceProperties.parse("[1]"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InstanceProperties.parse("{\"a\": 1} trailing"));
    assertThatIllegalArgumentException().isThrownBy(() -> InstanceProperties.parse(""));
  }
}
