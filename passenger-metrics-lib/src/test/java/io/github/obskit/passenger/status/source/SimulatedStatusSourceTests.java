package io.github.obskit.passenger.status.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.obskit.passenger.MutableClock;
import io.github.obskit.passenger.status.GroupStatus;
import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.ProcessStatus;
import io.github.obskit.passenger.status.SupergroupStatus;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedStatusSourceTests {

  private static final Instant START = Instant.parse("2026-11-25T08:00:00Z");

  private final MutableClock clock = new MutableClock(START);

  @Test
  void sameSeedAndInstantGiveTheSameStatusHoweverOftenItIsReadWithinAnHour() {
    MutableClock otherClock = new MutableClock(START);
    SimulatedStatusSource readOften = new SimulatedStatusSource(Scenario.NORMAL, 7, this.clock);
    SimulatedStatusSource readOnce = new SimulatedStatusSource(Scenario.NORMAL, 7, otherClock);
    for (int i = 0; i < 90; i++) {
      this.clock.advance(Duration.ofSeconds(1));
      readOften.read();
    }
    otherClock.advance(Duration.ofSeconds(90));

    assertThat(readOnce.read()).isEqualTo(readOften.read());
  }

  @Test
  void aGapOfMoreThanAnHourBetweenReadsSkipsTheOlderSteps() {
    MutableClock otherClock = new MutableClock(START);
    SimulatedStatusSource readHalfHourly =
        new SimulatedStatusSource(Scenario.NORMAL, 7, this.clock);
    SimulatedStatusSource readOnce = new SimulatedStatusSource(Scenario.NORMAL, 7, otherClock);
    for (int i = 0; i < 4; i++) {
      this.clock.advance(Duration.ofMinutes(30));
      readHalfHourly.read();
    }
    otherClock.advance(Duration.ofHours(2));

    assertThat(readOnce.read()).isNotEqualTo(readHalfHourly.read());
  }

  @Test
  void differentSeedsGiveDifferentInstances() {
    PassengerStatus one = new SimulatedStatusSource(Scenario.NORMAL, 1, this.clock).read();
    PassengerStatus two = new SimulatedStatusSource(Scenario.NORMAL, 2, this.clock).read();

    assertThat(pids(one)).doesNotContainAnyElementsOf(pids(two));
  }

  @Test
  void countersGrowWithTimeAndRecycledProcessesStartAgainUnderNewPids() {
    SimulatedStatusSource source = new SimulatedStatusSource(Scenario.NORMAL, 11, this.clock);
    Map<Long, Long> processedByPid = new HashMap<>();
    Set<Long> initialPids = pids(source.read());
    Set<Long> allPids = new HashSet<>(initialPids);
    for (int i = 0; i < 120; i++) {
      this.clock.advance(Duration.ofSeconds(15));
      for (ProcessStatus process : processes(source.read())) {
        Long before = processedByPid.put(process.pid(), process.processed());
        if (before != null) {
          assertThat(process.processed())
              .as("processed of pid %d", process.pid())
              .isGreaterThanOrEqualTo(before);
        }
        allPids.add(process.pid());
      }
    }
    Set<Long> finalPids = pids(source.read());

    assertThat(finalPids).as("processes recycled in 30 minutes").isNotEqualTo(initialPids);
    assertThat(allPids.size()).isGreaterThan(initialPids.size());
    long newest = finalPids.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(newest)
        .isGreaterThan(initialPids.stream().mapToLong(Long::longValue).max().orElseThrow());
    assertThat(processedByPid.values().stream().mapToLong(Long::longValue).sum()).isPositive();
  }

  @Test
  void normalScenarioLeavesRoomInThePoolAndKeepsQueuesShort() {
    SimulatedStatusSource source = new SimulatedStatusSource(Scenario.NORMAL, 3, this.clock);
    for (int i = 0; i < 40; i++) {
      this.clock.advance(Duration.ofSeconds(15));
      PassengerStatus status = source.read();

      assertThat(status.supergroups()).hasSize(3);
      assertThat(status.capacityUsed()).isLessThan(status.poolMax().getAsInt());
      assertThat(status.processCount()).isEqualTo(processes(status).size());
      assertThat(status.waitListSize()).isZero();
      assertThat(status.supergroups())
          .allSatisfy(app -> assertThat(app.waitListSize()).isLessThanOrEqualTo(3));
    }
  }

  @Test
  void overloadedScenarioSaturatesThePoolAndBuildsQueuesAtBothLevels() {
    SimulatedStatusSource source = new SimulatedStatusSource(Scenario.OVERLOADED, 5, this.clock);
    for (int i = 0; i < 20; i++) {
      this.clock.advance(Duration.ofSeconds(15));
      PassengerStatus status = source.read();

      assertThat(status.capacityUsed()).isEqualTo(status.poolMax().getAsInt());
      assertThat(status.waitListSize()).isGreaterThan(5);
      assertThat(status.supergroups())
          .allSatisfy(app -> assertThat(app.waitListSize()).isGreaterThan(5));
      assertThat(processes(status))
          .allSatisfy(
              process ->
                  assertThat(process.sessions()).isGreaterThanOrEqualTo(process.concurrency()));
      SupergroupStatus shop = status.supergroups().get(0);
      assertThat(shop.name()).isEqualTo("/var/www/shop (production)");
      long shopMemory =
          shop.processes().stream().mapToLong(p -> p.realMemoryBytes().orElseThrow()).sum();
      assertThat(shopMemory).isGreaterThan(2L * 1024 * 1024 * 1024);
    }
  }

  @Test
  void switchingToOverloadedFillsThePoolWithinSeconds() {
    SimulatedStatusSource source = new SimulatedStatusSource(Scenario.NORMAL, 9, this.clock);
    assertThat(source.read().capacityUsed()).isLessThan(SimulatedStatusSource.POOL_MAX);

    source.scenario(Scenario.OVERLOADED);
    this.clock.advance(Duration.ofSeconds(60));

    PassengerStatus status = source.read();
    assertThat(source.scenario()).isEqualTo(Scenario.OVERLOADED);
    assertThat(status.capacityUsed()).isEqualTo(SimulatedStatusSource.POOL_MAX);
    assertThat(status.waitListSize()).isGreaterThan(5);
  }

  @Test
  void groupsAndTotalsAreConsistent() {
    PassengerStatus status = new SimulatedStatusSource(Scenario.NORMAL, 4, this.clock).read();

    assertThat(status.passengerVersion()).isEqualTo(SimulatedStatusSource.PASSENGER_VERSION);
    assertThat(status.groupCount()).isEqualTo(3);
    for (SupergroupStatus app : status.supergroups()) {
      GroupStatus group = app.groups().get(0);
      assertThat(group.name()).isEqualTo(app.name());
      assertThat(app.name()).isEqualTo(group.appRoot() + " (" + group.environment() + ")");
      assertThat(app.capacityUsed()).isEqualTo(group.processes().size());
      assertThat(group.processes())
          .allSatisfy(
              process -> {
                assertThat(process.spawnEndTime().orElseThrow())
                    .isAfter(process.spawnStartTime().orElseThrow());
                assertThat(process.lastUsed().orElseThrow())
                    .isAfterOrEqualTo(process.spawnEndTime().orElseThrow());
                assertThat(process.cpuPercent().orElseThrow()).isBetween(0.0, 100.0);
              });
    }
  }

  @Test
  void scenarioNamesAreParsedIgnoringCaseAndUnknownOnesAreNamed() {
    assertThat(Scenario.of("Overloaded")).isEqualTo(Scenario.OVERLOADED);
    assertThat(Scenario.of("normal").id()).isEqualTo("normal");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Scenario.of("busy"))
        .withMessageContaining("'busy'")
        .withMessageContaining("normal or overloaded");
  }

  private static Set<Long> pids(PassengerStatus status) {
    Set<Long> pids = new HashSet<>();
    processes(status).forEach(process -> pids.add(process.pid()));
    return pids;
  }

  private static java.util.List<ProcessStatus> processes(PassengerStatus status) {
    return status.supergroups().stream().flatMap(app -> app.processes().stream()).toList();
  }
}
