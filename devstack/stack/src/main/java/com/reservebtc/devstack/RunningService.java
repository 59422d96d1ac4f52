package com.reservebtc.devstack;

import java.nio.file.Path;

/**
 * A started service as the stack's user sees it.
 *
 * @param name the service (module) name
 * @param port its HTTP port on 127.0.0.1
 * @param baseUrl {@code http://127.0.0.1:<port>}
 * @param pid the child process id
 * @param logFile where its stdout and stderr go
 */
public record RunningService(String name, int port, String baseUrl, long pid, Path logFile) {}
