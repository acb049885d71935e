package io.github.obskit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTests {

  @Test
  void portsComeFromBelowLinuxsDefaultEphemeralRange() {
    assertThat(Ports.candidates(new Ports.Range(32768, 60999)))
        .isEqualTo(new Ports.Range(10000, 32767));
  }

  @Test
  void portsComeFromAboveAnEphemeralRangeThatStartsLow() {
    assertThat(Ports.candidates(new Ports.Range(15000, 40000)))
        .isEqualTo(new Ports.Range(40001, 65535));
  }

  @Test
  void anEphemeralRangeOfNearlyEveryPortIsRefusedWithItsBounds() {
    assertThatIllegalStateException()
        .isThrownBy(() -> Ports.candidates(new Ports.Range(1024, 65000)))
        .withMessageContaining("1024-65000");
  }

  @Test
  void noPortIsHandedOutTwiceNorComesFromTheKernelsEphemeralRange() {
    Ports.Range ephemeral = Ports.ephemeral();
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = Ports.free();
      assertThat(ports.add(port)).as("%d handed out before", port).isTrue();
      assertThat(port < ephemeral.first() || port > ephemeral.last())
          .as("%d outside %s", port, ephemeral)
          .isTrue();
    }
  }
}
