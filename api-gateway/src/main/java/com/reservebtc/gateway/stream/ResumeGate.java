package com.reservebtc.gateway.stream;

import java.util.ArrayList;
import java.util.List;
import reactor.core.Exceptions;

/**
 * Joins one stream's two sources without a gap or a duplicate: live events of the address, which
 * arrive from the moment the stream subscribed to the hub, and the start of the stream (the backlog
 * read from the table after that subscription, or a {@code reset}). Live events are held until the
 * start is complete, then passed only if their id is above everything sent before, so an event that
 * is both in the backlog and live is sent once, and events come out in id order.
 *
 * <p>Not thread-safe: one stream's signals are serialized (they pass through one {@code merge}).
 */
final class ResumeGate {

  private final int holdLimit;
  private final List<StreamMessage> held = new ArrayList<>();
  private boolean open;
  private long sentThrough;

  /**
   * @param holdLimit live events held while the start is read, beyond which the client counts as
   *     too slow (an overflow error ends the stream, as for a full buffer)
   */
  ResumeGate(int holdLimit) {
    this.holdLimit = holdLimit;
  }

  /** A live event from the hub. */
  List<StreamMessage> live(StreamMessage message) {
    if (!open) {
      if (held.size() >= holdLimit) {
        throw Exceptions.failWithOverflow(
            "more than " + holdLimit + " live events arrived while the backlog was read");
      }
      held.add(message);
      return List.of();
    }
    return pass(message) ? List.of(message) : List.of();
  }

  /** An event of the start (a backlog row or the reset), sent as it is. */
  List<StreamMessage> start(StreamMessage message) {
    sentThrough = Math.max(sentThrough, message.id());
    return List.of(message);
  }

  /**
   * The start is complete: live events from here on (and the held ones) are sent if their id is
   * above {@code after} and above every id sent so far.
   */
  List<StreamMessage> open(long after) {
    sentThrough = Math.max(sentThrough, after);
    open = true;
    List<StreamMessage> released = new ArrayList<>(held.size());
    for (StreamMessage message : held) {
      if (pass(message)) {
        released.add(message);
      }
    }
    held.clear();
    return released;
  }

  private boolean pass(StreamMessage message) {
    if (message.id() <= sentThrough) {
      return false;
    }
    sentThrough = message.id();
    return true;
  }
}
