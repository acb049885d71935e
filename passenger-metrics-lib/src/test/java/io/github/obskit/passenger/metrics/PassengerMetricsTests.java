package io.github.obskit.passenger.metrics;

import static io.github.obskit.passenger.metrics.Statuses.SHOP;
import static io.github.obskit.passenger.metrics.Statuses.app;
import static io.github.obskit.passenger.metrics.Statuses.process;
import static io.github.obskit.passenger.metrics.Statuses.processWithoutMetrics;
import static io.github.obskit.passenger.metrics.Statuses.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.obskit.e2e.Waits;
import io.github.obskit.passenger.MutableClock;
import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.PassengerStatusParser;
import io.github.obskit.passenger.status.source.CachingStatusSource.Outcome;
import io.github.obskit.passenger.status.source.FileStatusSource;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PassengerMetricsTests {

  private static final Set<String> CONTRACT_NAMES =
      Set.of(
          "passenger_up",
          "passenger_info",
          "passenger_pool_max",
          "passenger_processes",
          "passenger_capacity_used",
          "passenger_get_wait_list_size",
          "passenger_supergroup_capacity_used",
          "passenger_supergroup_get_wait_list_size",
          "passenger_process_cpu",
          "passenger_process_memory_bytes",
          "passenger_process_sessions",
          "passenger_process_processed_total",
          "passenger_process_start_time_seconds",
          "passenger_scrape_duration_seconds",
          "passenger_scrape_errors_total");

  private static final Duration TTL = Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private final MockClock clock = new MockClock();

  private final AtomicReference<Object> next = new AtomicReference<>();

  private final AtomicInteger reads = new AtomicInteger();

  private final CountDownLatch release = new CountDownLatch(1);

  private PassengerMetrics metrics;

  @AfterEach
  void close() {
    this.release.countDown();
    if (this.metrics != null) {
      this.metrics.close();
    }
  }

  @Test
  void exposesExactlyTheContractNamesWithUnitsConverted() {
    this.next.set(status(app(SHOP, 7, process(12529, 1854))));
    Exposition exposition = scrape(bind(true));

    assertThat(exposition.names()).isEqualTo(CONTRACT_NAMES);
    String pidLabels = "{pid=\"12529\",supergroup=\"" + SHOP + "\"}";
    assertThat(exposition.value("passenger_up")).isEqualTo(1.0);
    assertThat(exposition.value("passenger_info{version=\"6.1.2\"}")).isEqualTo(1.0);
    assertThat(exposition.value("passenger_pool_max")).isEqualTo(8.0);
    assertThat(exposition.value("passenger_get_wait_list_size")).isEqualTo(2.0);
    assertThat(
            exposition.value(
                "passenger_supergroup_get_wait_list_size{supergroup=\"" + SHOP + "\"}"))
        .isEqualTo(7.0);
    assertThat(exposition.value("passenger_process_memory_bytes" + pidLabels))
        .isEqualTo(484_884.0 * 1024);
    assertThat(exposition.value("passenger_process_processed_total" + pidLabels)).isEqualTo(1854.0);
    assertThat(exposition.value("passenger_process_start_time_seconds" + pidLabels))
        .isEqualTo(1_773_712_398.264747);
    assertThat(exposition.value("passenger_process_cpu" + pidLabels)).isEqualTo(12.0);
    assertThat(exposition.value("passenger_process_sessions" + pidLabels)).isEqualTo(1.0);
    assertThat(exposition.value("passenger_scrape_errors_total{reason=\"timeout\"}")).isZero();
  }

  @Test
  void neverEmitsAnInstanceLabel() {
    this.next.set(status(app(SHOP, 0, process(1, 1), process(2, 2))));
    bind(true).refresh();
    String text =
        this.registry.scrape(PassengerMetricsTestSupport.TEXT_FORMAT)
            + this.registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");

    assertThat(text).contains("passenger_process_sessions{").doesNotContain("instance=");
    assertThat(this.registry.getMeters())
        .allSatisfy(meter -> assertThat(meter.getId().getTag("instance")).isNull());
  }

  @Test
  void describesEveryMeter() {
    this.next.set(status(app(SHOP, 0, process(1, 1))));
    bind(true).refresh();

    assertThat(this.registry.getMeters())
        .hasSizeGreaterThan(15)
        .allSatisfy(meter -> assertThat(meter.getId().getDescription()).isNotBlank());
  }

  @Test
  void removesSeriesWhenProcessDisappearsAndAddsThemForNewOnes() {
    this.next.set(status(app(SHOP, 0, process(101, 50), process(102, 60))));
    PassengerMetrics metrics = bind(true);
    assertThat(pids(scrape(metrics))).containsExactlyInAnyOrder("101", "102");

    this.next.set(status(app(SHOP, 0, process(102, 61), process(103, 0))));

    Exposition exposition = scrape(metrics);
    assertThat(pids(exposition)).containsExactlyInAnyOrder("102", "103");
    assertThat(exposition.seriesOf("passenger_process_memory_bytes")).hasSize(2);
    assertThat(this.registry.find("passenger.process.cpu").tag("pid", "101").meters()).isEmpty();
  }

  @Test
  void removesApplicationSeriesWhenTheApplicationDisappears() {
    this.next.set(
        status(app(SHOP, 0, process(1, 1)), app("/srv/blog (staging)", 0, process(2, 2))));
    PassengerMetrics metrics = bind(true);
    assertThat(scrape(metrics).seriesOf("passenger_supergroup_capacity_used")).hasSize(2);

    this.next.set(status(app(SHOP, 0, process(1, 1))));

    assertThat(scrape(metrics).seriesOf("passenger_supergroup_capacity_used"))
        .containsExactly("passenger_supergroup_capacity_used{supergroup=\"" + SHOP + "\"}");
  }

  @Test
  void leavesOutProcessFieldsThatPassengerDidNotReport() {
    this.next.set(status(app(SHOP, 0, processWithoutMetrics(7))));
    Exposition exposition = scrape(bind(true));

    assertThat(exposition.names())
        .doesNotContain(
            "passenger_process_cpu",
            "passenger_process_memory_bytes",
            "passenger_process_start_time_seconds")
        .contains("passenger_process_sessions", "passenger_process_processed_total");
  }

  @Test
  void impossibleNegativeValuesLeaveTheirSeriesOutAndNeverMakeACounterNaN() throws Exception {
    this.next.set(
        new PassengerStatusParser()
            .parse(
                """
                <info version="3"><passenger_version>6.1.2</passenger_version>
                <process_count>-3</process_count><max>4</max><capacity_used>-1</capacity_used>
                <get_wait_list_size>-2</get_wait_list_size><supergroups><supergroup>
                <name>shop</name><capacity_used>-1</capacity_used><group><name>shop</name>
                <get_wait_list_size>-5</get_wait_list_size><processes><process><pid>7</pid>
                <sessions>-1</sessions><processed>-12</processed><has_metrics>true</has_metrics>
                <cpu>-3</cpu><real_memory>100</real_memory></process></processes></group>
                </supergroup></supergroups></info>
                """));

    Exposition exposition = scrape(bind(true));

    assertThat(exposition.names())
        .contains("passenger_up", "passenger_pool_max", "passenger_process_memory_bytes")
        .doesNotContain(
            "passenger_processes",
            "passenger_capacity_used",
            "passenger_get_wait_list_size",
            "passenger_supergroup_capacity_used",
            "passenger_supergroup_get_wait_list_size",
            "passenger_process_sessions",
            "passenger_process_cpu",
            "passenger_process_processed_total");
    assertThat(exposition.samples().values()).noneMatch(value -> value.isNaN() || value < 0);
  }

  @Test
  void processedIsMonotonicPerPidAndARecycledProcessIsANewSeries() {
    MutableClock simulatorClock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
    SimulatedStatusSource simulator =
        new SimulatedStatusSource(Scenario.NORMAL, 11, simulatorClock);
    this.metrics =
        new PassengerMetrics(simulator, true, TTL, Duration.ofSeconds(5), this.clock, false);
    this.metrics.bindTo(this.registry);
    Map<String, Double> lastByPid = new HashMap<>();
    Set<String> firstPids = null;
    Set<String> seenPids = new HashSet<>();
    for (int i = 0; i < 120; i++) {
      simulatorClock.advance(Duration.ofSeconds(15));
      Exposition exposition = scrape(this.metrics);
      Set<String> pids = pids(exposition);
      firstPids = (firstPids == null) ? pids : firstPids;
      seenPids.addAll(pids);
      for (String series : exposition.seriesOf("passenger_process_processed_total")) {
        String pid = series.replaceAll(".*pid=\"(\\d+)\".*", "$1");
        Double before = lastByPid.put(pid, exposition.value(series));
        if (before != null) {
          assertThat(exposition.value(series)).as(series).isGreaterThanOrEqualTo(before);
        }
      }
    }

    assertThat(seenPids)
        .as("the simulator recycled processes")
        .hasSizeGreaterThan(firstPids.size());
    assertThat(pids(scrape(this.metrics))).isNotEqualTo(firstPids);
  }

  @Test
  void aFailedReadReportsDownCountsTheReasonAndDropsStatusSeriesWithoutThrowing() {
    this.next.set(status(app(SHOP, 0, process(1, 1))));
    PassengerMetrics metrics = bind(true);
    assertThat(scrape(metrics).value("passenger_up")).isEqualTo(1.0);

    this.next.set(new PassengerStatusException(Reason.MALFORMED, "unexpected end of document"));
    this.clock.add(TTL);
    assertThatNoException().isThrownBy(metrics::refresh);
    Exposition down = Exposition.of(this.registry.scrape());

    assertThat(down.value("passenger_up")).isZero();
    assertThat(down.value("passenger_scrape_errors_total{reason=\"malformed\"}")).isEqualTo(1.0);
    assertThat(down.names())
        .containsExactlyInAnyOrder(
            "passenger_up", "passenger_scrape_duration_seconds", "passenger_scrape_errors_total");

    this.next.set(status(app(SHOP, 0, process(1, 2))));
    Exposition up = scrape(metrics);
    assertThat(up.value("passenger_up")).isEqualTo(1.0);
    assertThat(up.value("passenger_scrape_errors_total{reason=\"malformed\"}")).isEqualTo(1.0);
  }

  @Test
  void oneCachedFailureIsCountedOnceHoweverOftenItIsScraped() {
    this.next.set(new PassengerStatusException(Reason.COMMAND_FAILED, "exit 1"));
    PassengerMetrics metrics = bind(true);
    for (int i = 0; i < 3; i++) {
      scrapeSameWindow(metrics);
    }
    assertThat(
            scrapeSameWindow(metrics)
                .value("passenger_scrape_errors_total{reason=\"command_failed\"}"))
        .isEqualTo(1.0);

    this.clock.add(TTL);

    assertThat(
            scrapeSameWindow(metrics)
                .value("passenger_scrape_errors_total{reason=\"command_failed\"}"))
        .isEqualTo(2.0);
    assertThat(this.reads).hasValue(2);
  }

  @Test
  void aStuckSourceDoesNotBlockARefreshLongerThanTheTimeout() {
    PassengerStatusSource stuck =
        () -> {
          awaitRelease();
          return status();
        };
    this.metrics =
        new PassengerMetrics(stuck, true, TTL, Duration.ofMillis(200), this.clock, false);
    this.metrics.bindTo(this.registry);

    assertTimeoutPreemptively(Waits.CONDITION, this.metrics::refresh);

    Exposition exposition = Exposition.of(this.registry.scrape());
    assertThat(exposition.value("passenger_up")).isZero();
    assertThat(exposition.value("passenger_scrape_errors_total{reason=\"timeout\"}"))
        .isEqualTo(1.0);
    assertThat(exposition.value("passenger_scrape_duration_seconds")).isEqualTo(0.2);
  }

  @Test
  void oneStuckReadIsOneTimeoutHoweverManyScrapesWaitForIt() throws Exception {
    PassengerStatusSource stuck =
        () -> {
          this.reads.incrementAndGet();
          awaitRelease();
          return status();
        };
    this.metrics =
        new PassengerMetrics(stuck, true, TTL, Duration.ofMillis(300), this.clock, false);
    this.metrics.bindTo(this.registry);
    int scrapers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(scrapers);
    try {
      List<Future<?>> refreshes = new ArrayList<>();
      for (int i = 0; i < scrapers; i++) {
        refreshes.add(pool.submit(this.metrics::refresh));
      }
      for (Future<?> refresh : refreshes) {
        refresh.get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(this.metrics.lastFailure())
        .hasValueSatisfying(failure -> assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT));
    assertThat(
            Exposition.of(this.registry.scrape())
                .value("passenger_scrape_errors_total{reason=\"timeout\"}"))
        .isEqualTo(1.0);
    // The read runs on a thread of its own, which a loaded machine may start only after every
    // scrape has given up on it.
    await().atMost(Waits.CONDITION).untilAsserted(() -> assertThat(this.reads).hasValue(1));
  }

  @Test
  void aHangingSourceNeverBlocksARegistryScrapeWhichShowsTheLastStatus() throws Exception {
    CountDownLatch hanging = new CountDownLatch(1);
    PassengerStatusSource firstAnswersThenHangs =
        () -> {
          if (this.reads.incrementAndGet() == 1) {
            return status(app(SHOP, 0, process(1, 1)));
          }
          hanging.countDown();
          awaitRelease();
          return status();
        };
    this.metrics =
        new PassengerMetrics(
            firstAnswersThenHangs, true, TTL, Duration.ofMinutes(5), this.clock, false);
    this.metrics.bindTo(this.registry);
    this.metrics.refresh();
    this.clock.add(TTL);
    ExecutorService refresher = Executors.newSingleThreadExecutor();
    try {
      Future<?> stuckRefresh = refresher.submit(this.metrics::refresh);
      assertThat(hanging.await(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS)).isTrue();

      String text = assertTimeoutPreemptively(Waits.CONDITION, () -> this.registry.scrape());

      assertThat(stuckRefresh).isNotDone();
      Exposition exposition = Exposition.of(text);
      assertThat(exposition.value("passenger_up")).isEqualTo(1.0);
      assertThat(pids(exposition)).containsExactly("1");
    } finally {
      this.release.countDown();
      refresher.shutdownNow();
    }
  }

  @Test
  void readsTheStatusOncePerScrapeWindowNotOncePerGauge() {
    this.next.set(
        status(
            app(SHOP, 0, process(1, 1), process(2, 2)),
            app("/srv/blog (staging)", 0, process(3, 3))));
    PassengerMetrics metrics = bind(true);
    for (int i = 0; i < 4; i++) {
      scrapeSameWindow(metrics);
    }
    assertThat(this.reads).hasValue(1);

    this.clock.add(TTL);
    scrapeSameWindow(metrics);
    assertThat(this.reads).hasValue(2);
  }

  @Test
  void concurrentScrapesShareOneRead() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    PassengerStatusSource slow =
        () -> {
          this.reads.incrementAndGet();
          entered.countDown();
          awaitRelease();
          return status(app(SHOP, 0, process(1, 1)));
        };
    this.metrics = new PassengerMetrics(slow, true, TTL, Duration.ofSeconds(30), this.clock, false);
    this.metrics.bindTo(this.registry);
    ExecutorService scrapers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Exposition>> scrapes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        scrapes.add(scrapers.submit(() -> scrapeSameWindow(this.metrics)));
      }
      assertThat(entered.await(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS)).isTrue();
      this.release.countDown();
      for (Future<Exposition> scrape : scrapes) {
        assertThat(scrape.get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS).value("passenger_up"))
            .isEqualTo(1.0);
      }
    } finally {
      scrapers.shutdownNow();
    }
    assertThat(this.reads).hasValue(1);
  }

  @Test
  void aReadThatStartedEarlierDoesNotOverrideTheNewerStatusItFinishesAfter() throws Exception {
    PassengerStatus older = fixture("debian_passenger_6.0.17_standalone");
    PassengerStatus newer = fixture("ibotta_passenger_datadog_monitor_passenger_6.1.2");
    SimpleMeterRegistry simple = new SimpleMeterRegistry();
    bind(true).bindTo(simple);

    // As when a refresh is descheduled between its read and showing it.
    this.metrics.show(new Outcome(2, newer, null, 0, 0));
    this.metrics.show(new Outcome(1, older, null, 0, 0));

    assertThat(this.metrics.lastFailure()).isEmpty();
    assertThat(simple.find("passenger.info").tag("version", "6.1.2").gauge()).isNotNull();
    assertThat(simple.find("passenger.info").tag("version", "6.0.17").gauge()).isNull();
    assertThat(pids(simple)).containsExactlyInAnyOrder("12529", "14552", "16579");
  }

  @Test
  void aFailureOfAReadThatStartedEarlierDoesNotOverrideANewerStatus() throws Exception {
    PassengerStatus newer = fixture("ibotta_passenger_datadog_monitor_passenger_6.1.2");
    SimpleMeterRegistry simple = new SimpleMeterRegistry();
    bind(true).bindTo(simple);

    this.metrics.show(new Outcome(2, newer, null, 0, 0));
    this.metrics.show(
        new Outcome(1, null, new PassengerStatusException(Reason.COMMAND_FAILED, "exit 1"), 0, 0));

    assertThat(this.metrics.lastFailure()).isEmpty();
    assertThat(pids(simple)).containsExactlyInAnyOrder("12529", "14552", "16579");
    assertThat(
            simple
                .find("passenger.scrape.errors")
                .tag("reason", "command_failed")
                .functionCounter()
                .count())
        .isZero();
  }

  @Test
  void aStuckReadsTimeoutAndItsLateFailureAreOneFailedRead() {
    SimpleMeterRegistry simple = new SimpleMeterRegistry();
    bind(true).bindTo(simple);
    PassengerStatusException timeout =
        new PassengerStatusException(Reason.TIMEOUT, "not within 1 s");

    this.metrics.show(new Outcome(1, null, timeout, 0, 1_000_000_000));
    this.metrics.show(new Outcome(1, null, timeout, 5, 1_200_000_000));

    assertThat(
            simple
                .find("passenger.scrape.errors")
                .tag("reason", "timeout")
                .functionCounter()
                .count())
        .isEqualTo(1.0);
    assertThat(simple.find("passenger.scrape.duration").timeGauge().value(TimeUnit.MILLISECONDS))
        .isEqualTo(1200.0);
  }

  @Test
  void closeLeavesOtherMetersOfTheRegistryAlone() {
    this.next.set(status(app(SHOP, 0, process(1, 1))));
    Gauge.builder("passenger.up", () -> 1).tag("source", "another binder").register(this.registry);
    bind(true).refresh();

    this.metrics.close();
    this.metrics = null;

    assertThat(this.registry.getMeters())
        .singleElement()
        .satisfies(meter -> assertThat(meter.getId().getTag("source")).isEqualTo("another binder"));
  }

  @Test
  void scheduledReadsUpdateTheSeriesWithoutAnyRefreshCall() {
    this.next.set(status(app(SHOP, 0, process(1, 1))));
    this.metrics =
        PassengerMetrics.builder(countingSource()).cacheTtl(Duration.ofMillis(50)).build();
    this.metrics.bindTo(this.registry);

    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () -> assertThat(pids(Exposition.of(this.registry.scrape()))).containsExactly("1"));

    this.next.set(status(app(SHOP, 0, process(2, 1))));
    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () -> assertThat(pids(Exposition.of(this.registry.scrape()))).containsExactly("2"));
  }

  @Test
  void onDemandReadsHappenOnlyOnRefresh() {
    this.next.set(status(app(SHOP, 0, process(1, 1))));
    bind(true);

    assertThat(Exposition.of(this.registry.scrape()).value("passenger_up")).isZero();
    assertThat(this.reads).hasValue(0);

    this.metrics.refresh();
    assertThat(pids(Exposition.of(this.registry.scrape()))).containsExactly("1");
    assertThat(this.reads).hasValue(1);
  }

  @Test
  void perProcessSeriesCanBeSwitchedOff() {
    this.next.set(status(app(SHOP, 3, process(1, 1), process(2, 2))));
    Exposition exposition = scrape(bind(false));

    assertThat(exposition.names()).noneMatch(name -> name.startsWith("passenger_process_"));
    assertThat(
            exposition.value(
                "passenger_supergroup_get_wait_list_size{supergroup=\"" + SHOP + "\"}"))
        .isEqualTo(3.0);
    assertThat(exposition.value("passenger_processes")).isEqualTo(2.0);
  }

  @Test
  void bindsToSeveralRegistriesAndCloseRemovesEverything() {
    this.next.set(status(app(SHOP, 0, process(1, 1))));
    SimpleMeterRegistry simple = new SimpleMeterRegistry();
    PassengerMetrics metrics = bind(true);
    metrics.bindTo(simple);
    metrics.refresh();
    assertThat(simple.find("passenger.process.memory").tag("pid", "1").gauge()).isNotNull();

    this.next.set(status(app(SHOP, 0, process(2, 1))));
    this.clock.add(TTL);
    metrics.refresh();
    assertThat(simple.find("passenger.process.memory").tag("pid", "1").gauge()).isNull();
    assertThat(simple.find("passenger.process.memory").tag("pid", "2").gauge()).isNotNull();

    metrics.close();
    this.metrics = null;
    assertThat(simple.getMeters()).extracting(Meter::getId).isEmpty();
    assertThat(this.registry.getMeters()).isEmpty();
  }

  @Test
  void rejectsACacheTtlThatWouldReadOncePerMeter() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> PassengerMetrics.builder(countingSource()).cacheTtl(Duration.ZERO).build())
        .withMessageContaining("cacheTtl");
  }

  @Test
  void theBuilderSwitchesOffPerProcessSeries() {
    this.next.set(status(app(SHOP, 0, process(1, 1))));
    this.metrics = PassengerMetrics.builder(countingSource()).perProcess(false).build();
    this.metrics.bindTo(this.registry);

    assertThat(scrape(this.metrics).names())
        .contains("passenger_processes")
        .doesNotContain("passenger_process_memory_bytes");
  }

  @Test
  void theBuilderAppliesItsTimeout() {
    // Stuck until the test ends: the read times out whichever timeout applies, and the duration
    // recorded for a timed-out read is the timeout, the configured one and not the default.
    PassengerStatusSource stuck =
        () -> {
          awaitRelease();
          return status();
        };
    this.metrics = PassengerMetrics.builder(stuck).timeout(Duration.ofMillis(200)).build();
    this.metrics.bindTo(this.registry);

    this.metrics.refresh();

    assertThat(this.metrics.lastFailure())
        .hasValueSatisfying(failure -> assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT));
    assertThat(Exposition.of(this.registry.scrape()).value("passenger_scrape_duration_seconds"))
        .isEqualTo(0.2);
  }

  @Test
  void theBuilderAppliesItsCacheTtl() {
    this.next.set(status(app(SHOP, 0, process(1, 1))));
    // The builder runs on the system clock. Once the builder's time-to-live, far below the default
    // one, has passed, a refresh reads again; a stall longer than the default can only hide a bug.
    Duration cacheTtl = Duration.ofMillis(100);
    this.metrics = PassengerMetrics.builder(countingSource()).cacheTtl(cacheTtl).build();
    this.metrics.refresh();
    long firstRefreshed = System.nanoTime();

    await()
        .atMost(Waits.CONDITION)
        .until(() -> System.nanoTime() - firstRefreshed > cacheTtl.multipliedBy(2).toNanos());
    this.metrics.refresh();

    assertThat(this.reads).hasValue(2);
  }

  private PassengerMetrics bind(boolean perProcess) {
    this.metrics =
        new PassengerMetrics(
            countingSource(), perProcess, TTL, Duration.ofSeconds(5), this.clock, false);
    this.metrics.bindTo(this.registry);
    return this.metrics;
  }

  private static PassengerStatus fixture(String name) throws PassengerStatusException {
    return new FileStatusSource(PassengerMetricsGoldenTests.FIXTURES.resolve(name + ".xml")).read();
  }

  private static Set<String> pids(MeterRegistry registry) {
    Set<String> pids = new HashSet<>();
    for (Meter meter : registry.find("passenger.process.sessions").meters()) {
      pids.add(meter.getId().getTag("pid"));
    }
    return pids;
  }

  private void awaitRelease() {
    try {
      this.release.await();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  private PassengerStatusSource countingSource() {
    return () -> {
      this.reads.incrementAndGet();
      Object answer = this.next.get();
      if (answer instanceof PassengerStatusException failure) {
        // A fresh exception per read, as a real source would throw.
        throw new PassengerStatusException(failure.reason(), failure.getMessage());
      }
      return (PassengerStatus) answer;
    };
  }

  /** Scrapes in a new cache window, so the source is read again. */
  private Exposition scrape(PassengerMetrics metrics) {
    this.clock.add(TTL);
    return scrapeSameWindow(metrics);
  }

  private Exposition scrapeSameWindow(PassengerMetrics metrics) {
    metrics.refresh();
    return Exposition.of(this.registry.scrape());
  }

  private static Set<String> pids(Exposition exposition) {
    Set<String> pids = new HashSet<>();
    for (String series : exposition.seriesOf("passenger_process_sessions")) {
      pids.add(series.replaceAll(".*pid=\"(\\d+)\".*", "$1"));
    }
    return pids;
  }
}
