package io.github.obskit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.stack.LogPipelines.Pipeline;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogPipelineTests {

  private final Pipeline alloy = LogPipelines.alloy();

  private final Pipeline promtail = LogPipelines.promtail();

  @Test
  void lokiLabelsAreOnlyServiceContainerAndLevel() {
    for (Pipeline pipeline : new Pipeline[] {this.alloy, this.promtail}) {
      Set<String> labels = new LinkedHashSet<>(pipeline.relabelTargetLabels());
      labels.addAll(pipeline.labelsFromExtracted().keySet());
      assertThat(labels)
          .as(pipeline.name())
          .containsExactlyInAnyOrder("service", "container", "level");
      assertThat(pipeline.relabelTargetLabels())
          .as(pipeline.name())
          .containsExactly("service", "container");
    }
  }

  @Test
  void bothKeepOnlyThisComposeProjectsContainers() {
    for (Pipeline pipeline : new Pipeline[] {this.alloy, this.promtail}) {
      assertThat(pipeline.keepRules())
          .as(pipeline.name())
          .containsExactly(
              "__meta_docker_container_label_com_docker_compose_service=~.+",
              "__meta_docker_container_label_com_docker_compose_project=~${COMPOSE_PROJECT_NAME}");
    }
  }

  @Test
  void theLevelLabelAndTheTimestampComeFromTheJsonLogFields() {
    for (Pipeline pipeline : new Pipeline[] {this.alloy, this.promtail}) {
      String levelSource = pipeline.labelsFromExtracted().get("level");
      assertThat(pipeline.jsonFields()).as(pipeline.name()).containsEntry(levelSource, "level");
      assertThat(pipeline.jsonFields())
          .as(pipeline.name())
          .containsEntry(pipeline.timestampSource(), "@timestamp");
    }
  }

  @Test
  void theTraceIdIsStructuredMetadataReadFromTheJsonTraceIdNeverALabel() {
    for (Pipeline pipeline : new Pipeline[] {this.alloy, this.promtail}) {
      assertThat(pipeline.structuredMetadataFromExtracted())
          .as(pipeline.name())
          .containsOnlyKeys(LogPipelines.TRACE_ID);
      String source = pipeline.structuredMetadataFromExtracted().get(LogPipelines.TRACE_ID);
      assertThat(pipeline.jsonFields()).as(pipeline.name()).containsEntry(source, "traceId");
      assertThat(pipeline.labelsFromExtracted()).as(pipeline.name()).doesNotContainValue(source);
    }
  }

  @Test
  void alloyAndPromtailReadTheSameFieldsIntoTheSameLabels() {
    assertThat(this.promtail.jsonFields()).isEqualTo(this.alloy.jsonFields());
    assertThat(this.promtail.labelsFromExtracted()).isEqualTo(this.alloy.labelsFromExtracted());
    assertThat(this.promtail.structuredMetadataFromExtracted())
        .isEqualTo(this.alloy.structuredMetadataFromExtracted());
    assertThat(this.promtail.relabelTargetLabels()).isEqualTo(this.alloy.relabelTargetLabels());
    assertThat(this.promtail.keepRules()).isEqualTo(this.alloy.keepRules());
    assertThat(this.promtail.timestampSource()).isEqualTo(this.alloy.timestampSource());
  }
}
