package io.github.obskit.passenger.cli;

import io.github.obskit.passenger.status.PassengerStatusParser;
import io.github.obskit.passenger.status.source.CommandStatusSource;
import io.github.obskit.passenger.status.source.CoreApiStatusSource;
import io.github.obskit.passenger.status.source.FileStatusSource;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Stack;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** The status source options every command shares: at most one, the socket by default. */
final class SourceOptions {

  @ArgGroup(exclusive = true, heading = "Status source (at most one; default --socket):%n")
  Choice choice;

  /** The mutually exclusive sources. */
  static final class Choice {

    @Option(
        names = "--socket",
        arity = "0..1",
        parameterConsumer = OptionalValue.class,
        paramLabel = "NAME|DIR",
        description = {
          "Core API of the Passenger instance: the only one running, the one with that name, or"
              + " the instance directory (needs read access to it: run as root or as the"
              + " Passenger user)."
        })
    String socket;

    @Option(
        names = "--command",
        paramLabel = "CMD",
        description = "Run a command printing the XML (e.g. \"passenger-status --show=xml\").")
    String command;

    @Option(names = "--file", paramLabel = "PATH", description = "Read the XML from a file.")
    Path file;

    @Option(names = "--stdin", description = "Read the XML from standard input (textfile, xml).")
    boolean stdin;

    @Option(
        names = "--simulate",
        arity = "0..1",
        parameterConsumer = OptionalValue.class,
        paramLabel = "normal|overloaded",
        description = "A simulated instance with three applications (never a default).")
    String simulate;
  }

  boolean stdin() {
    return this.choice != null && this.choice.stdin;
  }

  /**
   * Checks what the option parser cannot: that {@code --command} is a command line and {@code
   * --simulate} names a scenario.
   */
  void validate(CommandSpec spec) {
    if (this.choice != null && this.choice.simulate != null) {
      try {
        scenario(this.choice.simulate);
      } catch (IllegalArgumentException ex) {
        throw new ParameterException(spec.commandLine(), ex.getMessage());
      }
    }
    if (this.choice != null && this.choice.command != null) {
      try {
        split(this.choice.command);
      } catch (TypeConversionException ex) {
        throw new ParameterException(spec.commandLine(), ex.getMessage());
      }
    }
  }

  /** The source these options name. */
  PassengerStatusSource source(InputStream in, Duration timeout) {
    Choice chosen = (this.choice != null) ? this.choice : new Choice();
    if (chosen.file != null) {
      return new FileStatusSource(chosen.file);
    }
    if (chosen.stdin) {
      PassengerStatusParser parser = new PassengerStatusParser();
      return () -> parser.parse(in);
    }
    if (chosen.command != null) {
      return new CommandStatusSource(split(chosen.command), timeout);
    }
    if (chosen.simulate != null) {
      return new SimulatedStatusSource(scenario(chosen.simulate));
    }
    String socket = (chosen.socket == null || chosen.socket.isEmpty()) ? null : chosen.socket;
    if (socket != null && socket.contains("/")) {
      return CoreApiStatusSource.forInstanceDirectory(Path.of(socket), timeout);
    }
    return new CoreApiStatusSource(socket, timeout);
  }

  /** How the startup line names the source. */
  String description() {
    Choice chosen = (this.choice != null) ? this.choice : new Choice();
    if (chosen.file != null) {
      return "file " + chosen.file;
    }
    if (chosen.stdin) {
      return "stdin";
    }
    if (chosen.command != null) {
      return "command " + chosen.command;
    }
    if (chosen.simulate != null) {
      return "simulate " + scenario(chosen.simulate).name().toLowerCase(Locale.ROOT);
    }
    return (chosen.socket == null || chosen.socket.isEmpty())
        ? "socket"
        : "socket " + chosen.socket;
  }

  /** Splits a command line on blanks, keeping single- or double-quoted parts together. */
  static List<String> split(String commandLine) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : commandLine.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new TypeConversionException("unbalanced quote in --command: " + commandLine);
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new TypeConversionException("--command needs a command line");
    }
    return words;
  }

  private static Scenario scenario(String name) {
    return name.isEmpty() ? Scenario.NORMAL : Scenario.of(name);
  }

  /**
   * Takes the next argument as the option's value unless it is an option itself, which the parser
   * would otherwise take as the value when the command does not know it ({@code --simulate
   * --port}); without a value the option is the empty string.
   */
  static final class OptionalValue implements IParameterConsumer {

    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      boolean hasValue = !args.isEmpty() && !args.peek().startsWith("-");
      argSpec.setValue(hasValue ? args.pop() : "");
    }
  }
}
