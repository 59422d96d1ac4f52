package com.reservebtc.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback port helpers. A port picked by {@link #free()} is free when picked; another process can
 * still take it before the component binds it, which is acceptable for a developer stack and for
 * tests (the component then fails to start with a clear message).
 */
final class Ports {

  static final String LOOPBACK = "127.0.0.1";

  private Ports() {}

  /** {@code configured}, or a free loopback port when it is 0. */
  static int resolve(int configured) {
    return configured == 0 ? free() : configured;
  }

  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new DevStackException("could not find a free loopback port", e);
    }
  }

  /** Fails fast, before anything starts, when a fixed port is taken by another process. */
  static void requireFree(int port, String what, String flag) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
    } catch (IOException e) {
      throw new DevStackException(
          "port "
              + port
              + " for "
              + what
              + " is already in use on "
              + LOOPBACK
              + ". Stop whatever listens there (a devstack started elsewhere?) or choose another"
              + " port with "
              + flag
              + " (or --free-ports).");
    }
  }

  /** Whether something accepts TCP connections on the loopback port. */
  static boolean accepting(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
