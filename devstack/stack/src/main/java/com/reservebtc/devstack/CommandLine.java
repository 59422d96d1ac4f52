package com.reservebtc.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The launcher's command line. Every flag can also be given as an environment variable named {@code
 * RBTC_DEVSTACK_} + the flag in upper case with dashes as underscores ({@code --data-dir} = {@code
 * RBTC_DEVSTACK_DATA_DIR}); a flag on the command line wins over the variable.
 *
 * <p>Guarantees: an unknown flag, a missing value or an invalid value is an error that names the
 * flag (or variable); nothing is silently ignored.
 */
final class CommandLine {

  static final String ENV_PREFIX = "RBTC_DEVSTACK_";
  private static final String FREE_PORTS = "--free-ports";

  private CommandLine() {}

  /** What the command line asked for. */
  record Parsed(boolean help, DevStackOptions options) {}

  /** One flag: boolean when {@code valueName} is null. */
  record Flag(
      String name,
      String valueName,
      String description,
      BiConsumer<DevStackOptions.Builder, String> apply) {

    String env() {
      return ENV_PREFIX + name.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    boolean takesValue() {
      return valueName != null;
    }
  }

  static List<Flag> flags() {
    List<Flag> flags = new ArrayList<>();
    flags.add(
        new Flag(
            "--data-dir",
            "dir",
            "State and logs (PostgreSQL, Kafka, Anvil, Bitcoin simulator); default .devstack in"
                + " the repository root. Kept between runs.",
            (b, v) -> b.dataDir(Path.of(v))));
    flags.add(
        new Flag(
            "--fresh",
            null,
            "Wipe the data directory first: new database, topics, chain and deployment.",
            (b, v) -> b.fresh(bool("--fresh", v))));
    flags.add(
        new Flag(
            "--repo-root",
            "dir",
            "Repository checkout holding the service jars; default: found by walking up from the"
                + " working directory (or system property "
                + RepoRoot.PROPERTY
                + ").",
            (b, v) -> b.repoRoot(Path.of(v))));
    flags.add(
        new Flag(
            FREE_PORTS,
            null,
            "Pick free loopback ports for everything instead of the default ports.",
            (b, v) -> {
              if (bool(FREE_PORTS, v)) {
                b.freePorts();
              }
            }));
    flags.add(
        new Flag(
            "--services",
            "list",
            "Comma-separated services to start, 'all' (default) or 'none'. Known: "
                + String.join(", ", ServiceSpec.known().stream().map(ServiceSpec::name).toList())
                + " ('all' is every one but the second gateway replica, api-gateway-2; e.g."
                + " 'all,api-gateway-2' adds it).",
            (b, v) -> b.services(services(v))));
    flags.add(
        new Flag(
            "--service-timeout",
            "seconds",
            "How long each service may take to become ready; default "
                + DevStackOptions.DEFAULT_SERVICE_TIMEOUT.toSeconds()
                + ".",
            (b, v) -> b.serviceTimeout(Duration.ofSeconds(positive("--service-timeout", v)))));
    flags.add(
        new Flag(
            "--service-java-options",
            "options",
            "JVM options of every service, space-separated; they replace each service's defaults ("
                + ServiceJvm.describeDefaults()
                + ") unless they are only system properties (-D...), which are added to them.",
            (b, v) -> b.serviceJavaOptions(javaOptions(v))));
    flags.add(
        portFlag(
            "--postgres-port",
            "embedded PostgreSQL",
            DevStackOptions.DEFAULT_POSTGRES_PORT,
            DevStackOptions.Builder::postgresPort));
    flags.add(
        portFlag(
            "--kafka-port",
            "Kafka client listener",
            DevStackOptions.DEFAULT_KAFKA_PORT,
            DevStackOptions.Builder::kafkaPort));
    flags.add(
        portFlag(
            "--kafka-controller-port",
            "Kafka KRaft controller listener",
            DevStackOptions.DEFAULT_KAFKA_CONTROLLER_PORT,
            DevStackOptions.Builder::kafkaControllerPort));
    flags.add(
        portFlag(
            "--anvil-port",
            "Anvil JSON-RPC",
            DevStackOptions.DEFAULT_ANVIL_PORT,
            DevStackOptions.Builder::anvilPort));
    flags.add(
        portFlag(
            "--esplora-port",
            "Esplora simulator",
            DevStackOptions.DEFAULT_ESPLORA_PORT,
            DevStackOptions.Builder::esploraPort));
    for (ServiceSpec service : ServiceSpec.known()) {
      flags.add(
          portFlag(
              service.portFlag(),
              service.name(),
              service.defaultPort(),
              (b, port) -> b.servicePort(service.name(), port)));
    }
    flags.add(
        new Flag(
            "--postgres-url",
            "jdbc-url",
            "Use this PostgreSQL (jdbc:postgresql://host:port/db) instead of the embedded one;"
                + " each service uses its own schema in it.",
            DevStackOptions.Builder::postgresUrl));
    flags.add(
        new Flag(
            "--postgres-user",
            "user",
            "User for --postgres-url; default " + PostgresServer.DEFAULT_USER + ".",
            DevStackOptions.Builder::postgresUser));
    flags.add(
        new Flag(
            "--postgres-password",
            "password",
            "Password for --postgres-url; prefer the environment variable (a flag shows up in"
                + " the process list).",
            DevStackOptions.Builder::postgresPassword));
    flags.add(
        new Flag(
            "--kafka-bootstrap",
            "host:port",
            "Use this Kafka instead of starting a broker; the topics are created there.",
            DevStackOptions.Builder::kafkaBootstrap));
    flags.add(
        new Flag(
            "--rpc-url",
            "url",
            "Use this EVM JSON-RPC endpoint instead of starting Anvil. Without --deployment the"
                + " protocol is deployed there with Anvil's development account 0.",
            DevStackOptions.Builder::rpcUrl));
    flags.add(
        new Flag(
            "--deployment",
            "file",
            "Use this deployment (properties file) instead of deploying; its contracts must exist"
                + " on the chain.",
            (b, v) -> b.deploymentFile(Path.of(v))));
    flags.add(
        new Flag(
            "--esplora-url",
            "url",
            "Use this Esplora API instead of starting the Bitcoin simulator.",
            DevStackOptions.Builder::esploraUrl));
    return flags;
  }

  static Parsed parse(List<String> args, Map<String, String> env) {
    List<Flag> flags = flags();
    // (flag, value, where it came from): environment first, so the command line wins
    List<Setting> settings = new ArrayList<>();
    for (Flag flag : flags) {
      String value = env.get(flag.env());
      if (value != null) {
        settings.add(new Setting(flag, value, flag.env()));
      }
    }
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      String name = arg;
      String inlineValue = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inlineValue = arg.substring(eq + 1);
      }
      Flag flag = find(flags, name);
      String value;
      if (!flag.takesValue()) {
        value = inlineValue == null ? "true" : inlineValue;
      } else if (inlineValue != null) {
        value = inlineValue;
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw new DevStackException(flag.name() + " needs a value <" + flag.valueName() + ">");
      }
      settings.add(new Setting(flag, value, flag.name()));
    }
    DevStackOptions.Builder builder = DevStackOptions.builder();
    // --free-ports first, so that an explicit port flag refines it wherever it is written
    settings.stream()
        .filter(s -> s.flag().name().equals(FREE_PORTS))
        .forEach(s -> s.apply(builder));
    settings.stream()
        .filter(s -> !s.flag().name().equals(FREE_PORTS))
        .forEach(s -> s.apply(builder));
    try {
      return new Parsed(help, builder.build());
    } catch (IllegalArgumentException e) {
      throw new DevStackException(e.getMessage(), e);
    }
  }

  private record Setting(Flag flag, String value, String source) {
    void apply(DevStackOptions.Builder builder) {
      try {
        flag.apply().accept(builder, value.trim());
      } catch (DevStackException | IllegalArgumentException e) {
        throw new DevStackException("invalid " + source + " '" + value + "': " + e.getMessage(), e);
      }
    }
  }

  static String help() {
    StringBuilder text = new StringBuilder();
    text.append(
        """
        Usage: devstack/run [--build] [options]

        Starts the ReserveBTC stack on 127.0.0.1: PostgreSQL, a Kafka broker, Anvil with the
        protocol deployed, the Esplora (Bitcoin) simulator and the services, then waits.
        Ctrl-C stops everything. State is kept in the data directory between runs.

        devstack/run builds the project first (mvn -B -q -DskipTests install) when the launcher
        or a service jar is missing, or always with --build.

        Options (each also read from the environment variable shown):
        """);
    for (Flag flag : flags()) {
      String left = flag.name() + (flag.takesValue() ? " <" + flag.valueName() + ">" : "");
      text.append("  ").append(left).append('\n');
      text.append(wrap(flag.description(), "      ", 92));
      text.append("      env ").append(flag.env()).append('\n');
    }
    text.append(
        """
          --help, -h
              Show this text.

        Environment only:
          %s
              Private key of the committee of an external --deployment (never a flag, never
              printed). Default: Anvil's development account 0, the committee of a deployment
              made by the launcher.

        On SIGKILL the launcher cannot stop its children; the next start on the same data
        directory stops the processes recorded in <data-dir>/pids (only those whose PID, start
        time and command line still match).
        """
            .formatted(DevStack.COMMITTEE_KEY_ENV));
    return text.toString();
  }

  static String wrap(String text, String indent, int width) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    return out.append(line).append('\n').toString();
  }

  private static Flag find(List<Flag> flags, String name) {
    return flags.stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new DevStackException("unknown option " + name + "; see --help for the options"));
  }

  private static Flag portFlag(
      String name, String what, int defaultPort, BiConsumer<DevStackOptions.Builder, Integer> set) {
    return new Flag(
        name,
        "port",
        "Port of the " + what + "; default " + defaultPort + ", 0 = any free port.",
        (b, v) -> set.accept(b, port(v)));
  }

  static boolean bool(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no", "" -> false;
      default -> throw new IllegalArgumentException(name + " is true or false");
    };
  }

  private static int port(String value) {
    int port;
    try {
      port = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is 0..65535");
    }
    return port;
  }

  private static long positive(String name, String value) {
    try {
      long n = Long.parseLong(value);
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number");
    }
  }

  private static List<String> javaOptions(String value) {
    List<String> options = Arrays.stream(value.split("\\s+")).filter(o -> !o.isEmpty()).toList();
    for (String option : options) {
      if (!option.startsWith("-")) {
        throw new IllegalArgumentException("JVM options start with '-': " + option);
      }
    }
    return options;
  }

  private static List<String> services(String value) {
    if (value.equals("none") || value.isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String name : value.split(",")) {
      String trimmed = name.trim();
      if (trimmed.equals("all")) {
        ServiceSpec.all().forEach(s -> names.add(s.name()));
      } else if (!trimmed.isEmpty()) {
        names.add(trimmed);
      }
    }
    return names;
  }
}
