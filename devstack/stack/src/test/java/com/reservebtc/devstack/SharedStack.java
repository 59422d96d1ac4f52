package com.reservebtc.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One whole local stack (all five services on free ports) shared by every end-to-end class that
 * declares {@code @ExtendWith(SharedStack.class)} and takes a {@link DevStack} parameter in its
 * {@code @BeforeAll} method: starting the stack is the expensive part of these tests, so it is
 * started once, on first use, and stopped (by PID) when the test run ends. Its data directory is
 * {@code target/e2e-stack}, wiped at start and kept afterwards, so the service logs of a failed run
 * can be read in {@code target/e2e-stack/logs}.
 *
 * <p>The gateway's per-client rate limit is raised for this stack: every request of the tests comes
 * from one loopback client, and the malformed-input test sends a thousand of them, which must reach
 * the validation rather than the limiter. Nothing else differs from {@code devstack/run}.
 *
 * <p>Not guaranteed: isolation between the classes. They share the chain, the database and the
 * broker, so each class works with its own users and must not depend on the state another class
 * leaves behind. The classes using it are ordered last ({@code junit-platform.properties}), so that
 * the shared stack, which lives until the end of the run, never runs beside the stacks that other
 * classes start and stop themselves.
 */
final class SharedStack implements ParameterResolver {

  /** Requests per second and burst of one gateway client, well above what the tests send. */
  static final String GATEWAY_CLIENT_RATE = "100000";

  private static final Path DATA_DIR = Path.of("target", "e2e-stack");

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedStack.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DevStack.class;
  }

  @Override
  public DevStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(Running.class, k -> Running.start(), Running.class)
        .stack();
  }

  /** The JVM options of the shared stack's services. */
  static List<String> serviceJavaOptions() {
    List<String> options = new ArrayList<String>();
    options.add("-Drbtc.gateway.rate-limit.requests-per-second=" + GATEWAY_CLIENT_RATE);
    options.add("-Drbtc.gateway.rate-limit.burst=" + GATEWAY_CLIENT_RATE);
    return options;
  }

  /** The started stack; closed by JUnit when the run ends. */
  private record Running(DevStack stack) implements AutoCloseable {

    static Running start() {
      return new Running(
          DevStack.start(
              DevStackOptions.builder()
                  .dataDir(DATA_DIR)
                  .fresh(true)
                  .freePorts()
                  .serviceJavaOptions(serviceJavaOptions())
                  .build()));
    }

    @Override
    public void close() {
      stack.close();
    }
  }
}
