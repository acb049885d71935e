package io.github.obskit.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The central-bundle.zip that the release profile builds, unpacked: a Maven repository layout of
 * every published file with its signature and checksums.
 */
final class ReleaseBundle {

  private static final Map<String, String> CHECKSUMS =
      Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256", "sha512", "SHA-512");

  private static final List<String> CENTRAL_FIELDS =
      List.of(
          "name",
          "description",
          "url",
          "licenses/license/name",
          "licenses/license/url",
          "developers/developer/name",
          "scm/url",
          "scm/connection");

  private final Path directory;

  private final Set<String> entries;

  private ReleaseBundle(Path directory, Set<String> entries) {
    this.directory = directory;
    this.entries = entries;
  }

  static ReleaseBundle read(Path zip) throws IOException {
    Path directory = zip.resolveSibling("unpacked");
    Set<String> entries = new TreeSet<>();
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : Collections.list(archive.entries())) {
        if (entry.isDirectory()) {
          continue;
        }
        Path file = directory.resolve(entry.getName()).normalize();
        if (!file.startsWith(directory)) {
          throw new IOException(entry.getName() + " leaves " + directory);
        }
        Files.createDirectories(file.getParent());
        try (InputStream content = archive.getInputStream(entry)) {
          Files.copy(content, file);
        }
        entries.add(entry.getName());
      }
    }
    return new ReleaseBundle(directory, entries);
  }

  /** Every entry, signatures and checksums included. */
  Set<String> entries() {
    return entries;
  }

  /** The published files themselves: no signature, no checksum. */
  List<String> published() {
    return entries.stream().filter((entry) -> !isSignatureOrChecksum(entry)).toList();
  }

  List<String> poms() {
    return published().stream().filter((entry) -> entry.endsWith(".pom")).toList();
  }

  Set<String> artifactIds() {
    Set<String> artifactIds = new TreeSet<>();
    published().forEach((entry) -> artifactIds.add(entry.split("/")[3]));
    return artifactIds;
  }

  Path file(String entry) {
    return directory.resolve(entry);
  }

  String sha256(String entry) {
    return digest(entry, "SHA-256");
  }

  /** The checksum files whose content is not the digest of the file they belong to. */
  List<String> checksumProblems(String entry) {
    List<String> problems = new ArrayList<>();
    CHECKSUMS.forEach(
        (extension, algorithm) -> {
          String name = entry + "." + extension;
          if (entries.contains(name) && !read(name).strip().equals(digest(entry, algorithm))) {
            problems.add(name);
          }
        });
    return problems;
  }

  /** A POM of the bundle, with what it inherits from the obskit POMs the bundle holds. */
  Pom pom(String entry) {
    Element project = parse(entry);
    Map<String, String> fields = new TreeMap<>();
    Element parent = child(project, "parent");
    if (parent != null && "io.github.obskit".equals(text(parent, "groupId"))) {
      String artifactId = text(parent, "artifactId");
      String version = text(parent, "version");
      String parentEntry =
          "io/github/obskit/%s/%s/%s-%s.pom".formatted(artifactId, version, artifactId, version);
      if (entries.contains(parentEntry)) {
        fields.putAll(pom(parentEntry).fields());
        // Maven inherits every one of these but the name.
        fields.remove("name");
      }
    }
    for (String field : CENTRAL_FIELDS) {
      String value = text(project, field);
      if (value != null) {
        fields.put(field, value);
      }
    }
    Set<String> managed = new TreeSet<>();
    Element management = child(project, "dependencyManagement");
    Element dependencies = management == null ? null : child(management, "dependencies");
    if (dependencies != null) {
      for (Node node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
        if (node instanceof Element dependency) {
          String type = text(dependency, "type");
          String classifier = text(dependency, "classifier");
          managed.add(
              text(dependency, "artifactId")
                  + ":"
                  + (type == null ? "jar" : type)
                  + ":"
                  + (classifier == null ? "" : classifier));
        }
      }
    }
    return new Pom(fields, parent != null, managed);
  }

  private Element parse(String entry) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document document = factory.newDocumentBuilder().parse(file(entry).toFile());
      return document.getDocumentElement();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (ParserConfigurationException | SAXException ex) {
      throw new IllegalStateException(entry + " is not a readable POM", ex);
    }
  }

  private static String text(Element element, String path) {
    Element current = element;
    for (String name : path.split("/")) {
      current = child(current, name);
      if (current == null) {
        return null;
      }
    }
    return current.getTextContent().strip();
  }

  private static Element child(Element element, String name) {
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element child && child.getTagName().equals(name)) {
        return child;
      }
    }
    return null;
  }

  private String read(String entry) {
    try {
      return Files.readString(file(entry), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private String digest(String entry, String algorithm) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file(entry))));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static boolean isSignatureOrChecksum(String entry) {
    return entry.endsWith(".asc")
        || CHECKSUMS.keySet().stream().anyMatch((extension) -> entry.endsWith("." + extension));
  }

  /**
   * What a POM says, inherited fields included.
   *
   * @param fields the fields Central requires that the POM has, by path
   * @param hasParent whether it names a parent
   * @param managedArtifacts its dependency management, as artifactId:type:classifier
   */
  record Pom(Map<String, String> fields, boolean hasParent, Set<String> managedArtifacts) {

    List<String> missingCentralMetadata() {
      return CENTRAL_FIELDS.stream()
          .filter((field) -> fields.get(field) == null || fields.get(field).isBlank())
          .toList();
    }
  }
}
