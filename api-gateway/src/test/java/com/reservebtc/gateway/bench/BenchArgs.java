package com.reservebtc.gateway.bench;

/** {@code --name value} command-line options of the benchmark tools. */
final class BenchArgs {

  private BenchArgs() {}

  static String value(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (fallback == null) {
      throw new IllegalArgumentException("missing option " + name);
    }
    return fallback;
  }
}
