package com.reservebtc.esplora;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * Saves and loads the whole chain as one JSON file.
 *
 * <p>Guarantees: the file on disk is always a complete snapshot, either the previous one or the new
 * one (written to a temporary file in the same directory, forced to disk, then moved over the old
 * one); a snapshot older than the last one written is never written over it; an unreadable or
 * inconsistent file stops the simulator from starting rather than being replaced by an empty chain.
 *
 * <p>Not guaranteed: durability against a crash between a change and its write; the fault rule is
 * not saved.
 */
final class StateFile {
  private static final System.Logger LOG = System.getLogger(StateFile.class.getName());

  private final Path path;
  private long writtenVersion = -1;

  StateFile(Path path) {
    this.path = path.toAbsolutePath();
  }

  Path path() {
    return path;
  }

  /** The saved snapshot, or empty if no file exists yet. */
  Optional<StateSnapshot> load() {
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    try {
      StateSnapshot snapshot = JsonCodec.MAPPER.readValue(path.toFile(), StateSnapshot.class);
      if (snapshot.format() != StateSnapshot.FORMAT) {
        throw new IllegalStateException(
            "state file "
                + path
                + " has format "
                + snapshot.format()
                + ", expected "
                + StateSnapshot.FORMAT);
      }
      synchronized (this) {
        writtenVersion = snapshot.version();
      }
      return Optional.of(snapshot);
    } catch (JacksonException e) {
      throw new IllegalStateException(
          "state file "
              + path
              + " is not a valid simulator state ("
              + e.getOriginalMessage()
              + "); move it away to start with a fresh chain",
          e);
    }
  }

  /** Writes the snapshot unless a newer one is already on disk. */
  synchronized void write(StateSnapshot snapshot) {
    if (snapshot.version() <= writtenVersion) {
      return;
    }
    byte[] json = JsonCodec.MAPPER.writeValueAsBytes(snapshot);
    Path directory = path.getParent();
    Path temp = null;
    try {
      Files.createDirectories(directory);
      temp = Files.createTempFile(directory, path.getFileName().toString() + ".", ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(json);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      writtenVersion = snapshot.version();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the chain changed in memory but could not be saved to " + path, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "could not delete temporary file " + temp, e);
        }
      }
    }
  }
}
