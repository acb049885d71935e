package io.github.obskit.passenger.status;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parser throughput on a generated status of 50 applications × 40 processes, shaped like
 * Passenger 6's output. MB/s = ops/s × the document size printed at setup; run with {@code -prof
 * gc} for the bytes allocated per parse ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PassengerStatusParserBenchmark {

  private byte[] document;

  private PassengerStatusParser parser;

  /** Builds the document once per fork. */
  @Setup
  public void generateDocument() {
    document = StatusDocuments.bytes(StatusDocuments.status(50, 40));
    parser = new PassengerStatusParser();
    System.out.printf("%nstatus document: %d bytes (50 apps x 40 processes)%n", document.length);
  }

  /** One parse of the whole document from a byte stream, as the sources do. */
  @Benchmark
  public PassengerStatus parse() throws PassengerStatusException {
    return parser.parse(new ByteArrayInputStream(document));
  }
}
