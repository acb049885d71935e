package io.github.obskit.passenger.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.passenger.MutableClock;
import io.github.obskit.passenger.status.source.SimulatedStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class PassengerStatusXmlTests {

  private final PassengerStatusParser parser = new PassengerStatusParser();

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void simulatedStatusesSurviveARoundTripThroughTheParser(Scenario scenario) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
    SimulatedStatusSource simulator = new SimulatedStatusSource(scenario, 17, clock);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(3));
      PassengerStatus status = simulator.read();

      assertThat(this.parser.parse(PassengerStatusXml.write(status))).isEqualTo(status);
    }
  }

  static Stream<Path> fixtures() throws IOException {
    return Files.list(Path.of("src/test/resources/fixtures"))
        .filter(file -> file.toString().endsWith(".xml"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void realCapturesSurviveARoundTrip(Path fixture) throws Exception {
    PassengerStatus captured;
    try (InputStream input = Files.newInputStream(fixture)) {
      captured = this.parser.parse(input);
    }

    assertThat(this.parser.parse(PassengerStatusXml.write(captured))).isEqualTo(captured);
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void writesPassengerShapedAsciiWithTheQueueAtGroupLevel(Scenario scenario) {
    PassengerStatus status =
        new SimulatedStatusSource(
                scenario, 3, new MutableClock(Instant.parse("2026-11-25T08:00:00Z")))
            .read();

    String xml = PassengerStatusXml.write(status);

    assertThat(xml)
        .startsWith("<?xml version=\"1.0\" encoding=\"iso-8859-1\" ?>\n<info version=\"3\">")
        .contains("<name>/var/www/shop &#40;production&#41;</name>")
        .contains("<group default=\"true\">")
        .contains("<has_metrics>true</has_metrics>");
    assertThat(xml.chars()).allMatch(c -> c < 128);
  }

  @Test
  void anIdleInstanceSurvivesARoundTripWithoutAPoolMax() throws Exception {
    PassengerStatus idle = PassengerStatus.empty("6.0.17");

    String document = PassengerStatusXml.write(idle);

    assertThat(document).doesNotContain("<max>");
    assertThat(this.parser.parse(document)).isEqualTo(idle);
  }

  @Test
  void escapesNonAsciiBytewiseLikePassenger() {
    assertThat(PassengerStatusXml.escape("/srv/café (prod)"))
        .isEqualTo("/srv/caf&#195;&#169; &#40;prod&#41;");
    assertThat(PassengerStatusXml.escape("a<b&c")).isEqualTo("a&#60;b&#38;c");
  }
}
