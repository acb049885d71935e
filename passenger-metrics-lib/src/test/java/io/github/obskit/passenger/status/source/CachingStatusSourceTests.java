package io.github.obskit.passenger.status.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.obskit.e2e.Waits;
import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingStatusSourceTests {

  private static final Duration TTL = Duration.ofSeconds(10);

  private static final String CALLER_THREAD = "caching-test-caller";

  private final MockClock clock = new MockClock();

  private final AtomicInteger reads = new AtomicInteger();

  private final CountDownLatch release = new CountDownLatch(1);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void releaseAndClose() throws Exception {
    this.release.countDown();
    for (AutoCloseable closeable : this.toClose) {
      closeable.close();
    }
  }

  @Test
  void sharesOneReadWithinTheTtlAndReadsAgainAfterIt() throws Exception {
    CachingStatusSource source =
        caching(counting(() -> status("6.1.2")), TTL, Duration.ofSeconds(5));

    PassengerStatus first = source.read();
    this.clock.add(TTL.minusMillis(1));
    assertThat(source.read()).isSameAs(first);
    assertThat(this.reads).hasValue(1);

    this.clock.add(Duration.ofMillis(1));
    assertThat(source.read()).isNotSameAs(first);
    assertThat(this.reads).hasValue(2);
  }

  @Test
  void concurrentCallersShareOneDelegateReadEvenWithoutTtl() throws Exception {
    CachingStatusSource source =
        caching(heldUntilReleased("6.1.2"), Duration.ZERO, Duration.ofSeconds(30));
    int callers = 6;
    ExecutorService pool =
        Executors.newFixedThreadPool(callers, runnable -> new Thread(runnable, CALLER_THREAD));
    this.toClose.add(pool::shutdownNow);
    List<Future<PassengerStatus>> results = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      results.add(pool.submit(source::read));
    }
    awaitAllWaiting(callers);
    this.release.countDown();

    PassengerStatus first = results.get(0).get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS);
    for (Future<PassengerStatus> result : results) {
      assertThat(result.get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS)).isSameAs(first);
    }
    assertThat(this.reads).hasValue(1);
  }

  @Test
  void failuresAreCachedForTheTtlLikeSuccesses() {
    CachingStatusSource source =
        caching(
            counting(
                () -> {
                  throw new PassengerStatusException(Reason.COMMAND_FAILED, "exit 1");
                }),
            TTL,
            Duration.ofSeconds(5));

    PassengerStatusException first = catchFailure(source);
    PassengerStatusException second = catchFailure(source);

    assertThat(second).isSameAs(first);
    assertThat(first.reason()).isEqualTo(Reason.COMMAND_FAILED);
    assertThat(this.reads).hasValue(1);
  }

  @Test
  void aStuckDelegateTimesOutEveryCallerWithoutStartingAnotherRead() {
    CachingStatusSource source =
        caching(heldUntilReleased("6.1.2"), Duration.ZERO, Duration.ofMillis(200));

    assertTimeoutPreemptively(
        Waits.CONDITION,
        () -> {
          for (int i = 0; i < 3; i++) {
            assertThatExceptionOfType(PassengerStatusException.class)
                .isThrownBy(source::read)
                .satisfies(ex -> assertThat(ex.reason()).isEqualTo(Reason.TIMEOUT))
                .withMessageContaining("200 ms");
          }
        });
    awaitDelegateReads(1);
    assertThat(source.lastReadDuration()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aTimeoutIsCachedSoCallersWithinTheTtlFailFast() {
    CachingStatusSource source = caching(heldUntilReleased("6.1.2"), TTL, Duration.ofMillis(100));

    PassengerStatusException first = catchFailure(source);
    PassengerStatusException second = catchFailure(source);

    assertThat(second).isSameAs(first);
    assertThat(first.reason()).isEqualTo(Reason.TIMEOUT);
  }

  @Test
  void callersThatGiveUpOnTheSameStuckReadShareOneTimeoutFailure() throws Exception {
    CachingStatusSource source =
        caching(heldUntilReleased("6.1.2"), Duration.ZERO, Duration.ofMillis(300));
    int callers = 6;
    ExecutorService pool =
        Executors.newFixedThreadPool(callers, runnable -> new Thread(runnable, CALLER_THREAD));
    this.toClose.add(pool::shutdownNow);
    List<Future<PassengerStatusException>> results = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      results.add(pool.submit(() -> catchFailure(source)));
    }

    PassengerStatusException first =
        results.get(0).get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS);
    assertThat(first.reason()).isEqualTo(Reason.TIMEOUT);
    for (Future<PassengerStatusException> result : results) {
      assertThat(result.get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS)).isSameAs(first);
    }
    awaitDelegateReads(1);
  }

  @Test
  void aReadStillStuckAfterTheTtlKeepsItsOneTimeoutFailure() {
    CachingStatusSource source = caching(heldUntilReleased("6.1.2"), TTL, Duration.ofMillis(100));
    PassengerStatusException first = catchFailure(source);

    this.clock.add(TTL);

    assertThat(catchFailure(source)).isSameAs(first);
    awaitDelegateReads(1);
  }

  @Test
  void aLateResultOfAStuckReadIsServedOnceItArrives() {
    CachingStatusSource source = caching(heldUntilReleased("6.0.23"), TTL, Duration.ofMillis(100));
    assertThat(catchFailure(source).reason()).isEqualTo(Reason.TIMEOUT);

    this.release.countDown();

    PassengerStatus late =
        await()
            .atMost(Waits.CONDITION)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> readUnlessTimedOut(source), Objects::nonNull);
    assertThat(late.passengerVersion()).isEqualTo("6.0.23");
    assertThat(this.reads).hasValue(1);
  }

  @Test
  void aLateFailureOfAStuckReadIsTheTimeoutItsCallersAlreadyGot() {
    Duration lateReadTook = Duration.ofSeconds(3);
    CachingStatusSource source =
        caching(
            counting(
                () -> {
                  awaitRelease();
                  this.clock.add(lateReadTook);
                  throw new PassengerStatusException(Reason.TIMEOUT, "the source's own timeout");
                }),
            TTL,
            Duration.ofMillis(300));
    PassengerStatusException gaveUp = catchFailure(source);

    this.release.countDown();
    await()
        .atMost(Waits.CONDITION)
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(() -> assertThat(source.lastReadDuration()).isEqualTo(lateReadTook));

    assertThat(catchFailure(source)).isSameAs(gaveUp);
    assertThat(this.reads).hasValue(1);
  }

  @Test
  void aRuntimeExceptionOfTheDelegateBecomesAnIoFailure() {
    CachingStatusSource source =
        caching(
            counting(
                () -> {
                  throw new IllegalStateException("bug in source");
                }),
            TTL,
            Duration.ofSeconds(5));

    PassengerStatusException failure = catchFailure(source);

    assertThat(failure.reason()).isEqualTo(Reason.IO);
    assertThat(failure).hasMessageContaining("bug in source");
  }

  @Test
  void anErrorOfTheDelegateFailsThatReadAndTheNextReadRunsAgain() {
    AtomicInteger attempts = new AtomicInteger();
    CachingStatusSource source =
        caching(
            counting(
                () -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new StackOverflowError("recursive source");
                  }
                  return status("6.1.2");
                }),
            TTL,
            Duration.ofSeconds(2));

    assertTimeoutPreemptively(
        Waits.CONDITION,
        () -> {
          PassengerStatusException failure = catchFailure(source);
          assertThat(failure.reason()).isEqualTo(Reason.IO);
          assertThat(failure)
              .hasMessageContaining("StackOverflowError")
              .hasMessageContaining("recursive source");

          this.clock.add(TTL);
          assertThat(source.read().passengerVersion()).isEqualTo("6.1.2");
        });
    assertThat(this.reads).hasValue(2);
  }

  @Test
  void aClosedSourceFailsWithAClearMessage() {
    CachingStatusSource source = caching(() -> status("6.1.2"), TTL, Duration.ofSeconds(5));
    source.close();

    assertThat(catchFailure(source)).hasMessageContaining("closed");
  }

  private CachingStatusSource caching(
      PassengerStatusSource delegate, Duration ttl, Duration timeout) {
    CachingStatusSource source = new CachingStatusSource(delegate, ttl, timeout, this.clock);
    this.toClose.add(source);
    return source;
  }

  /** A counted source whose reads return the given version once {@link #release} opens. */
  private PassengerStatusSource heldUntilReleased(String version) {
    return counting(
        () -> {
          awaitRelease();
          return status(version);
        });
  }

  private PassengerStatusSource counting(PassengerStatusSource delegate) {
    return () -> {
      this.reads.incrementAndGet();
      return delegate.read();
    };
  }

  private void awaitRelease() {
    try {
      this.release.await();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  private static PassengerStatusException catchFailure(PassengerStatusSource source) {
    try {
      source.read();
    } catch (PassengerStatusException ex) {
      return ex;
    }
    throw new AssertionError("expected the read to fail");
  }

  private static PassengerStatus status(String version) {
    return PassengerStatus.empty(version);
  }

  /** The status, or {@code null} while callers still get the timeout of the stuck read. */
  private static PassengerStatus readUnlessTimedOut(PassengerStatusSource source)
      throws PassengerStatusException {
    try {
      return source.read();
    } catch (PassengerStatusException ex) {
      if (ex.reason() != Reason.TIMEOUT) {
        throw ex;
      }
      return null;
    }
  }

  /**
   * Waits until the delegate was entered as often as expected: the source reads on a thread of its
   * own, which a loaded machine may run only after the callers have given up on the read.
   */
  private void awaitDelegateReads(int expected) {
    await().atMost(Waits.CONDITION).untilAsserted(() -> assertThat(this.reads).hasValue(expected));
  }

  private static void awaitAllWaiting(int callers) {
    // Wait until each caller is parked on the shared read, so that a second delegate read could
    // only come from a broken single flight.
    await()
        .alias("callers parked on the shared read")
        .atMost(Waits.CONDITION)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().equals(CALLER_THREAD))
                    .filter(thread -> isWaitingInRead(thread))
                    .count(),
            parked -> parked >= callers);
  }

  private static boolean isWaitingInRead(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals(CachingStatusSource.class.getName())
          && frame.getMethodName().equals("await")) {
        return true;
      }
    }
    return false;
  }
}
