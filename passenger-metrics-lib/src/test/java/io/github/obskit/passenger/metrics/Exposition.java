package io.github.obskit.passenger.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The samples of a Prometheus text exposition, by series ({@code name{labels}}). */
public final class Exposition {

  private final Map<String, Double> samples = new LinkedHashMap<>();

  private Exposition(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      this.samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
  }

  public static Exposition of(String text) {
    return new Exposition(text);
  }

  public Map<String, Double> samples() {
    return this.samples;
  }

  public Double value(String series) {
    return this.samples.get(series);
  }

  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (String series : this.samples.keySet()) {
      int brace = series.indexOf('{');
      names.add((brace < 0) ? series : series.substring(0, brace));
    }
    return names;
  }

  public Set<String> seriesOf(String name) {
    Set<String> series = new TreeSet<>();
    for (String one : this.samples.keySet()) {
      if (one.equals(name) || one.startsWith(name + "{")) {
        series.add(one);
      }
    }
    return series;
  }
}
