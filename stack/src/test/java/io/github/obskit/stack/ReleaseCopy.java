package io.github.obskit.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A copy of the repository's sources, as a release checkout has them: no build output, and the
 * version of every POM changed from the snapshot to the release, as {@code versions:set} does.
 */
final class ReleaseCopy {

  private static final Set<String> NOT_SOURCES = Set.of("target", ".git", "node_modules", ".idea");

  private ReleaseCopy() {}

  static Path of(Path repository, Path destination, String snapshot, String release)
      throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(repository)) {
      files =
          walk.filter((path) -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
              .filter((path) -> isSource(repository.relativize(path)))
              .toList();
    }
    for (Path file : files) {
      Path copy = destination.resolve(repository.relativize(file).toString());
      Files.createDirectories(copy.getParent());
      // The attributes keep mvnw and the stack's scripts executable.
      Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
      if (copy.getFileName().toString().equals("pom.xml")) {
        String pom = Files.readString(copy, StandardCharsets.UTF_8);
        Files.writeString(
            copy,
            pom.replace(
                "<version>" + snapshot + "</version>", "<version>" + release + "</version>"));
      }
    }
    return destination;
  }

  private static boolean isSource(Path relative) {
    for (Path part : relative) {
      if (NOT_SOURCES.contains(part.toString())) {
        return false;
      }
    }
    return true;
  }
}
