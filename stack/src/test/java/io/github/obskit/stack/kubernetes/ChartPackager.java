package io.github.obskit.stack.kubernetes;

import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Packages the assembled chart with the embedded Helm, as {@code helm package CHART -d DESTINATION}
 * does; the build runs it in the {@code package} phase.
 */
final class ChartPackager {

  private ChartPackager() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: ChartPackager CHART_DIR DESTINATION_DIR");
      System.exit(2);
    }
    Path chart = Path.of(args[0]);
    Path destination = Path.of(args[1]);
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      System.err.println("no chart at " + chart + " (Chart.yaml missing)");
      System.exit(1);
    }
    Files.createDirectories(destination);
    new Helm(chart).packageIt().withDestination(destination).call();
    System.out.println("Packaged " + chart + " into " + destination);
  }
}
