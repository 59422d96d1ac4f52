package com.reservebtc.devstack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The launcher's data directory: where PostgreSQL, Kafka, Anvil and the Bitcoin simulator keep
 * their state between runs, plus logs and the PID file.
 *
 * <p>Guarantees: at most one launcher uses a directory at a time (an OS file lock, released even
 * when the launcher is killed with SIGKILL); a directory that holds other files and was not created
 * by the launcher is never used, so {@code --fresh} cannot wipe the wrong folder.
 */
final class DataDirectory implements AutoCloseable {

  private static final String MARKER = ".devstack-data";
  private static final String LOCK = ".lock";

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates (if needed) and locks the directory. */
  static DataDirectory open(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
      Path marker = root.resolve(MARKER);
      if (!Files.exists(marker)) {
        if (!isEmpty(root)) {
          throw new DevStackException(
              root
                  + " is not empty and was not created by the devstack launcher; choose another"
                  + " --data-dir (or an empty or new directory)");
        }
        Files.writeString(
            marker,
            "ReserveBTC devstack data directory (PostgreSQL, Kafka, Anvil and Bitcoin simulator"
                + " state). Safe to delete while the stack is stopped.\n",
            StandardCharsets.UTF_8);
      }
      FileChannel channel =
          FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new DevStackException(
            "another devstack is already running with the data directory "
                + root
                + "; stop it first (Ctrl-C in its terminal) or use another --data-dir");
      }
      Files.createDirectories(root.resolve("logs"));
      return new DataDirectory(root, channel, lock);
    } catch (IOException e) {
      throw new DevStackException("could not prepare data directory " + root + ": " + e, e);
    }
  }

  Path root() {
    return root;
  }

  Path postgres() {
    return root.resolve("postgres");
  }

  Path kafka() {
    return root.resolve("kafka");
  }

  Path logs() {
    return root.resolve("logs");
  }

  Path log(String name) {
    return logs().resolve(name + ".log");
  }

  /** Services' jars extracted per build, with their class-data sharing archives. */
  Path apps() {
    return root.resolve("apps");
  }

  Path anvilState() {
    return root.resolve("anvil-state.json");
  }

  Path deployment() {
    return root.resolve("deployment.properties");
  }

  Path bitcoinState() {
    return root.resolve("bitcoin").resolve("state.json");
  }

  Path pidFile() {
    return root.resolve("pids");
  }

  /** Deletes all state (for {@code --fresh}); keeps the marker and the lock. */
  void wipe() {
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        String name = child.getFileName().toString();
        if (!name.equals(MARKER) && !name.equals(LOCK)) {
          deleteRecursively(child);
        }
      }
      Files.createDirectories(logs());
    } catch (IOException e) {
      throw new DevStackException("could not wipe " + root + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new DevStackException("could not release the lock on " + root + ": " + e, e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.findAny().isEmpty();
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(path);
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
