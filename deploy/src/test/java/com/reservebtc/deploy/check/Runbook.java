package com.reservebtc.deploy.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What deploy/README.md tells an operator, as far as the checks need it. */
public final class Runbook {

  private static final Pattern TABLE_ROW_NAME = Pattern.compile("^\\| `([a-z0-9.-]+)` \\|");

  private Runbook() {}

  /** The Secrets of the table under the heading "Secrets" (first column, in backticks). */
  public static Set<String> secretsToCreate() {
    String text;
    try {
      text = Files.readString(Repository.deploy().resolve("README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> names = new LinkedHashSet<>();
    boolean inSection = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        inSection = line.replaceFirst("^#+\\s*", "").matches("(?i)\\d*\\.?\\s*secrets.*");
        continue;
      }
      Matcher row = TABLE_ROW_NAME.matcher(line);
      if (inSection && row.find()) {
        names.add(row.group(1));
      }
    }
    if (names.isEmpty()) {
      throw new IllegalStateException(
          "deploy/README.md has no \"Secrets\" section with a table of Secret names");
    }
    return names;
  }
}
