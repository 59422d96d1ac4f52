package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.NewHeads;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the chain's head is and when the indexer first heard of it: from WebSocket notifications
 * while they flow, from {@code eth_blockNumber} otherwise (and every {@code livePollInterval} even
 * while they flow, in case one was lost). Lets the ingest thread sleep until a new head arrives.
 *
 * <p>Thread-safe: notifications arrive on WebSocket threads, the ingest thread reads.
 */
final class HeadTracker implements NewHeads.Listener {

  /** The head to index up to and when it was first seen ({@link System#nanoTime()}). */
  record Head(long number, long seenNanos) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final long livePollNanos;
  private long notified = -1;
  private long notifiedAtNanos;
  private long lastPollNanos;
  private boolean live;
  private String endpoint;
  private boolean stopped;
  private boolean woken;
  private boolean pollNext = true;

  HeadTracker(Duration livePollInterval) {
    this.livePollNanos = livePollInterval.toNanos();
  }

  @Override
  public void onHead(long number, long receivedNanos) {
    lock.lock();
    try {
      if (number > notified) {
        notified = number;
        notifiedAtNanos = receivedNanos;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onLive(boolean isLive, String endpointName, String reason) {
    lock.lock();
    try {
      live = isLive;
      endpoint = endpointName;
      if (!isLive) {
        pollNext = true;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether heads currently arrive over WebSocket. */
  boolean live() {
    lock.lock();
    try {
      return live;
    } finally {
      lock.unlock();
    }
  }

  String endpoint() {
    lock.lock();
    try {
      return endpoint;
    } finally {
      lock.unlock();
    }
  }

  /** Makes the next {@link #current} ask the node, e.g. after the chain moved under a pass. */
  void pollNext() {
    lock.lock();
    try {
      pollNext = true;
    } finally {
      lock.unlock();
    }
  }

  /** The current head: the notified one while live, else (or when a poll is due) the node's. */
  Head current(ChainClient chain) {
    long now = System.nanoTime();
    lock.lock();
    try {
      if (live && !pollNext && notified >= 0 && now - lastPollNanos < livePollNanos) {
        return new Head(notified, notifiedAtNanos);
      }
    } finally {
      lock.unlock();
    }
    boolean forced;
    lock.lock();
    try {
      forced = pollNext;
    } finally {
      lock.unlock();
    }
    long polled = chain.headNumber();
    lock.lock();
    try {
      lastPollNanos = now;
      pollNext = false;
      if (polled > notified || !live || forced) {
        // A poll is the truth when no WebSocket speaks or the chain moved under a pass, and it
        // catches notifications that were lost.
        if (polled != notified) {
          notifiedAtNanos = now;
        }
        notified = polled;
      }
      return new Head(notified, notifiedAtNanos);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sleeps until a head above {@code known} is announced, the connection state changes, the wait
   * ({@code pollInterval} without WebSocket, {@code livePollInterval} with) ends, or {@link #stop}.
   */
  void awaitNewHead(long known, Duration pollInterval) throws InterruptedException {
    lock.lock();
    try {
      boolean wasLive = live;
      long nanos = (live ? Duration.ofNanos(livePollNanos) : pollInterval).toNanos();
      while (!stopped && !woken && notified <= known && live == wasLive && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      woken = false;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the current (or next) {@link #awaitNewHead} at once, e.g. for an operator command. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void stop() {
    lock.lock();
    try {
      stopped = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
