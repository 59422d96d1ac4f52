package com.reservebtc.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

class ResumeGateTest {

  private static StreamMessage event(long id) {
    return new StreamMessage(id, "0xa", StreamEvent.TRANSACTION, "{\"n\":" + id + "}");
  }

  private static List<Long> ids(List<StreamMessage> messages) {
    return messages.stream().map(StreamMessage::id).toList();
  }

  @Test
  void holdsLiveEventsUntilTheBacklogIsSentAndDropsThoseItAlreadyContained() {
    ResumeGate gate = new ResumeGate(100);
    List<StreamMessage> sent = new ArrayList<>();
    // live events 12 and 13 arrive while the backlog (after id 10) is read: 11, 12
    sent.addAll(gate.live(event(12)));
    sent.addAll(gate.live(event(13)));
    assertThat(sent).isEmpty();
    sent.addAll(gate.start(event(11)));
    sent.addAll(gate.start(event(12)));
    sent.addAll(gate.open(10));
    sent.addAll(gate.live(event(14)));
    assertThat(ids(sent)).containsExactly(11L, 12L, 13L, 14L);
  }

  @Test
  void dropsLiveEventsAtOrBelowTheClientsLastIdWhenTheBacklogIsEmpty() {
    ResumeGate gate = new ResumeGate(100);
    List<StreamMessage> sent = new ArrayList<>();
    // the relay of this replica is behind: it still hands out events the client has seen
    sent.addAll(gate.live(event(40)));
    sent.addAll(gate.open(41));
    sent.addAll(gate.live(event(41)));
    sent.addAll(gate.live(event(42)));
    assertThat(ids(sent)).containsExactly(42L);
  }

  @Test
  void afterAResetOnlyEventsAboveTheResetsIdFollow() {
    ResumeGate gate = new ResumeGate(100);
    List<StreamMessage> sent = new ArrayList<>();
    sent.addAll(gate.live(event(99)));
    StreamMessage reset = new StreamMessage(100, "0xa", StreamBacklog.RESET, "{}");
    sent.addAll(gate.start(reset));
    sent.addAll(gate.open(100));
    sent.addAll(gate.live(event(100)));
    sent.addAll(gate.live(event(101)));
    assertThat(sent)
        .extracting(StreamMessage::type)
        .containsExactly(StreamBacklog.RESET, StreamEvent.TRANSACTION);
    assertThat(ids(sent)).containsExactly(100L, 101L);
  }

  @Test
  void aLiveStreamWithoutAStartPassesEverything() {
    ResumeGate gate = new ResumeGate(100);
    assertThat(gate.open(0)).isEmpty();
    assertThat(ids(gate.live(event(1)))).containsExactly(1L);
    assertThat(ids(gate.live(event(7)))).containsExactly(7L);
  }

  @Test
  void aClientThatCannotTakeTheHeldEventsOverflows() {
    ResumeGate gate = new ResumeGate(2);
    gate.live(event(1));
    gate.live(event(2));
    assertThatThrownBy(() -> gate.live(event(3))).matches(Exceptions::isOverflow);
  }
}
