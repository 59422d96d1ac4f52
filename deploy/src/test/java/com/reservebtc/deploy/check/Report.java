package com.reservebtc.deploy.check;

import java.util.ArrayList;
import java.util.List;

/** The problems found in a set of manifests, each starting with the object it is about. */
public final class Report {

  private final List<String> problems = new ArrayList<>();

  public void add(Manifest manifest, String message) {
    problems.add(manifest.describe() + ": " + message);
  }

  /** A problem that is about no single object (e.g. something missing). */
  public void add(String message) {
    problems.add(message);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  @Override
  public String toString() {
    return problems.isEmpty()
        ? "no problems"
        : problems.size() + " problem(s):\n  " + String.join("\n  ", problems);
  }
}
