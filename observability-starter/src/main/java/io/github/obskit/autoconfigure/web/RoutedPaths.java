package io.github.obskit.autoconfigure.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The routes of a router function that name one path literally, collected by a visitor of either
 * web stack: a route's path is the paths of the predicates it is nested in followed by its own.
 */
final class RoutedPaths {

  private final String path;

  private final Deque<String> prefixes = new ArrayDeque<>();

  private final List<String> visitedPaths = new ArrayList<>();

  private final List<String> routes = new ArrayList<>();

  private int negations;

  RoutedPaths(String path) {
    this.path = path;
  }

  /** Starts visiting a predicate. */
  void startPredicate() {
    this.visitedPaths.clear();
  }

  /** A path predicate of the predicate visited; one under a negation maps every other path. */
  void path(String pattern) {
    if (this.negations == 0) {
      this.visitedPaths.add(pattern);
    }
  }

  void startNegate() {
    this.negations++;
  }

  void endNegate() {
    this.negations--;
  }

  /** The predicate visited nests routes: its path prefixes theirs. */
  void startNested() {
    String own = this.visitedPaths.isEmpty() ? "" : this.visitedPaths.get(0);
    this.prefixes.push(prefix() + own);
  }

  void endNested() {
    this.prefixes.pop();
  }

  /**
   * The predicate visited is a route's: records it when one of its paths is the path, or when it
   * has no path of its own and the routes it is nested in have exactly the path.
   */
  void route(String description) {
    String prefix = prefix();
    boolean mapsThePath =
        this.visitedPaths.isEmpty()
            ? prefix.equals(this.path)
            : this.visitedPaths.stream()
                .anyMatch((pattern) -> (prefix + pattern).equals(this.path));
    if (mapsThePath) {
      this.routes.add(description);
    }
  }

  private String prefix() {
    return this.prefixes.isEmpty() ? "" : this.prefixes.peek();
  }

  List<String> routes() {
    return this.routes;
  }
}
