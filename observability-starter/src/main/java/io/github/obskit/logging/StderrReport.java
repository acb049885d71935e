package io.github.obskit.logging;

import java.io.PrintStream;

/**
 * Writes one line to stderr from a thread of its own: stderr may be an unread pipe too (the same
 * one as stdout, or one read by the same stuck shipper), and no logging thread, writer or shutdown
 * may block on it.
 */
final class StderrReport {

  private StderrReport() {}

  static Thread print(String message) {
    PrintStream err = System.err;
    Thread reporter = new Thread(() -> err.println(message), "obskit-log-report");
    reporter.setDaemon(true);
    reporter.start();
    return reporter;
  }

  /** Prints and waits for the line to be written at most {@code maxMillis}: at shutdown. */
  static void printAndWait(String message, long maxMillis) throws InterruptedException {
    print(message).join(maxMillis);
  }
}
