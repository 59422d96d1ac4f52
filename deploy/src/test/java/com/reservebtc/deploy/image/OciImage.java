package com.reservebtc.deploy.image;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI image as Jib's {@code buildTar} writes it: an image layout (index.json, blobs/sha256/...)
 * in one tar file. Reads the manifest, the configuration and, on request, the file names of layers.
 */
public final class OciImage {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path tar;
  private final Map<String, byte[]> smallBlobs;
  private final JsonNode index;
  private final JsonNode manifest;
  private final JsonNode config;

  private OciImage(Path tar, Map<String, byte[]> smallBlobs) {
    this.tar = tar;
    this.smallBlobs = smallBlobs;
    this.index = JSON.readTree(blob("index.json"));
    if (index.path("manifests").size() != 1) {
      throw new IllegalStateException(tar + ": expected one image in index.json: " + index);
    }
    this.manifest =
        JSON.readTree(blob(path(index.path("manifests").get(0).path("digest").asString())));
    this.config = JSON.readTree(blob(path(manifest.path("config").path("digest").asString())));
  }

  /** Reads the image's index, manifest and configuration (layers stay on disk). */
  public static OciImage read(Path tar) throws IOException {
    Map<String, byte[]> small = new HashMap<>();
    entries(
        Files.newInputStream(tar),
        (name, size, in) -> {
          if (size < 1 << 20) {
            small.put(name, in.readAllBytes());
          }
        });
    return new OciImage(tar, small);
  }

  /** The reference the image was built as (org.opencontainers.image.ref.name). */
  public String refName() {
    return index
        .path("manifests")
        .get(0)
        .path("annotations")
        .path("org.opencontainers.image.ref.name")
        .asString();
  }

  /** The image configuration's "config" part: Entrypoint, User, Env, ExposedPorts, Labels. */
  public JsonNode config() {
    return config.path("config");
  }

  public String os() {
    return config.path("os").asString();
  }

  /** What each layer was made from, in order (Jib: "dependencies", "classes", ...). */
  public List<String> layerComments() {
    List<String> comments = new ArrayList<>();
    config.path("history").forEach(h -> comments.add(h.path("comment").asString()));
    return comments;
  }

  /** The files of the layer made from {@code comment} (read from the image tar). */
  public List<String> layerFiles(String comment) throws IOException {
    List<String> files = new ArrayList<>();
    layer(comment, (file, size, content) -> files.add(file));
    return files;
  }

  /** The text of a file in the layer made from {@code comment}. */
  public String layerFile(String comment, String file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    layer(
        comment,
        (name, size, content) -> {
          if (name.equals(file)) {
            content.transferTo(out);
          }
        });
    return out.toString(StandardCharsets.UTF_8);
  }

  private void layer(String comment, EntryHandler handler) throws IOException {
    int index = layerComments().indexOf(comment);
    if (index < 0) {
      throw new IllegalStateException(
          tar + " has no layer \"" + comment + "\": " + layerComments());
    }
    String blob = path(manifest.path("layers").get(index).path("digest").asString());
    entries(
        Files.newInputStream(tar),
        (name, size, in) -> {
          if (name.equals(blob)) {
            entries(new GZIPInputStream(in), handler);
          }
        });
  }

  private byte[] blob(String name) {
    byte[] bytes = smallBlobs.get(name);
    if (bytes == null) {
      throw new IllegalStateException(tar + " has no " + name);
    }
    return bytes;
  }

  private static String path(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  /** Receives each regular file of a tar stream; may read its content. */
  private interface EntryHandler {
    void entry(String name, long size, InputStream content) throws IOException;
  }

  /**
   * Walks a tar stream: ustar names with their prefix, PAX "path" records and GNU long names; only
   * regular files are handed on, with a stream bounded to the entry.
   */
  private static void entries(InputStream raw, EntryHandler handler) throws IOException {
    try (InputStream in = new BufferedInputStream(raw, 1 << 16)) {
      byte[] header = new byte[512];
      String longName = null;
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = text(header, 0, 100);
        String octalSize = text(header, 124, 12).trim();
        long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
        char type = (char) header[156];
        boolean posix = text(header, 257, 6).equals("ustar") && header[263] == '0';
        String prefix = posix ? text(header, 345, 155) : "";
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long padded = (size + 511) / 512 * 512;
        if (type == 'x' || type == 'L') {
          byte[] data = in.readNBytes((int) size);
          in.skipNBytes(padded - size);
          longName = type == 'L' ? text(data, 0, data.length) : paxPath(data);
          continue;
        }
        if (longName != null) {
          name = longName;
          longName = null;
        }
        if (name.startsWith("./")) {
          name = name.substring(2);
        }
        if (type == '0' || type == 0) {
          BoundedInputStream content = new BoundedInputStream(in, size);
          handler.entry(name, size, content);
          content.skipRest();
          in.skipNBytes(padded - size);
        } else {
          in.skipNBytes(padded);
        }
      }
    }
  }

  private static String paxPath(byte[] data) {
    for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
      int space = record.indexOf(' ');
      String keyValue = record.substring(space + 1);
      if (keyValue.startsWith("path=")) {
        return keyValue.substring("path=".length());
      }
    }
    return null;
  }

  private static String text(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** An entry's content: at most {@code remaining} bytes of the tar stream, never closing it. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long size) {
      this.in = in;
      this.remaining = size;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    void skipRest() throws IOException {
      in.skipNBytes(remaining);
      remaining = 0;
    }

    @Override
    public void close() {
      // the tar stream stays open for the next entry
    }
  }
}
