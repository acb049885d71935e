package io.github.obskit.passenger.status.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether an instance directory and the files in it may be trusted. Instance directories
 * live in shared temporary directories, where anyone can create one; what we read there is sent as
 * credentials to the socket beside it, so a hostile directory must not make us read another file.
 *
 * <p>A directory is trusted when it is a real directory (no symbolic link), not writable by group
 * or others, and owned by root, by the user this process runs as, or by the owner of a registry
 * directory that only its owner can write (a private registry of the Passenger user, such as {@code
 * --instance-registry-dir}). A file is read when it is a regular file (no symbolic link, opened
 * without following one), has a single hard link, is owned by root or the directory's owner, and is
 * not larger than the bound given, read without ever holding more.
 */
final class InstanceTrust {

  /** Root and the user this process runs as. */
  static final InstanceTrust SYSTEM = new InstanceTrust(new HashSet<>(List.of(0, ownUid())));

  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private final Set<Integer> trustedOwners;

  InstanceTrust(Set<Integer> trustedOwners) {
    this.trustedOwners = Set.copyOf(trustedOwners);
  }

  /**
   * Why {@code directory} is not trusted.
   *
   * @param directory the instance directory
   * @return the reason, or {@code null} when it is trusted
   */
  String distrust(Path directory) {
    try {
      PosixFileAttributes attributes = attributes(directory);
      if (attributes.isSymbolicLink()) {
        return "it is a symbolic link";
      }
      if (!attributes.isDirectory()) {
        return "it is not a directory";
      }
      if (writableByOthers(attributes)) {
        return "it is writable by group or others";
      }
      int owner = uid(directory);
      if (this.trustedOwners.contains(owner) || ownsPrivateRegistry(directory, owner)) {
        return null;
      }
      return "it is owned by uid "
          + owner
          + ", neither root nor this process's user nor the owner of a private registry directory";
    } catch (IOException | UnsupportedOperationException ex) {
      return "its owner and permissions cannot be read (" + ex.getClass().getSimpleName() + ")";
    }
  }

  /**
   * Reads a small text file of a trusted instance directory.
   *
   * @param file the file, directly in the instance directory
   * @param maxBytes the largest size accepted
   * @return the content, as UTF-8
   * @throws IOException when it cannot be read, or is refused (then the message says why)
   */
  String read(Path file, int maxBytes) throws IOException {
    PosixFileAttributes attributes = attributes(file);
    if (attributes.isSymbolicLink()) {
      throw new UntrustedFileException(file + " is a symbolic link; refusing to follow it");
    }
    if (!attributes.isRegularFile()) {
      throw new UntrustedFileException(file + " is not a regular file");
    }
    int owner = uid(file);
    int directoryOwner = uid(file.toAbsolutePath().getParent());
    if (owner != directoryOwner && !this.trustedOwners.contains(owner)) {
      throw new UntrustedFileException(
          file + " is owned by uid " + owner + ", not by root nor the instance directory's owner");
    }
    if (((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue()
        != 1) {
      throw new UntrustedFileException(file + " has several hard links");
    }
    // Opened without following a link swapped in since the check; read at most one byte more
    // than accepted, whatever the file claims or grows to.
    try (InputStream in =
        Channels.newInputStream(
            Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      byte[] content = in.readNBytes(maxBytes + 1);
      if (content.length > maxBytes) {
        throw new UntrustedFileException(file + " is larger than " + maxBytes + " bytes");
      }
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  private boolean ownsPrivateRegistry(Path directory, int owner) throws IOException {
    Path registry = directory.toAbsolutePath().getParent();
    if (registry == null) {
      return false;
    }
    PosixFileAttributes attributes = Files.readAttributes(registry, PosixFileAttributes.class);
    return !writableByOthers(attributes) && uid(registry) == owner;
  }

  private static boolean writableByOthers(PosixFileAttributes attributes) {
    return attributes.permissions().stream().anyMatch(WRITABLE_BY_OTHERS::contains);
  }

  private static PosixFileAttributes attributes(Path path) throws IOException {
    return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static int uid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static int ownUid() {
    try {
      // On Linux /proc/self leads to the process's directory, which belongs to its effective user.
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
      return 0;
    }
  }

  /** A file of an instance directory that is not read, and why. */
  static final class UntrustedFileException extends IOException {

    UntrustedFileException(String message) {
      super(message);
    }
  }
}
