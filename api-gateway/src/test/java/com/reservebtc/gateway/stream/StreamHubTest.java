package com.reservebtc.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

class StreamHubTest {

  private static long ids;

  private static StreamMessage alert(String address, String message) {
    return new StreamMessage(++ids, address, StreamEvent.ALERT, message);
  }

  @Test
  void routesEachEventToTheSubscribersOfItsAddressOnly() {
    StreamHub hub = new StreamHub(new SimpleMeterRegistry());
    List<String> a1 = new CopyOnWriteArrayList<>();
    List<String> a2 = new CopyOnWriteArrayList<>();
    List<String> b = new CopyOnWriteArrayList<>();
    Disposable s1 = hub.eventsFor("0xa").subscribe(e -> a1.add(e.json()));
    Disposable s2 = hub.eventsFor("0xa").subscribe(e -> a2.add(e.json()));
    Disposable s3 = hub.eventsFor("0xb").subscribe(e -> b.add(e.json()));
    assertThat(hub.subscriberCount()).isEqualTo(3);

    hub.publish(List.of(alert("0xa", "one"), alert("0xb", "two"), alert("0xc", "nobody")));

    assertThat(a1).containsExactly("one");
    assertThat(a2).containsExactly("one");
    assertThat(b).containsExactly("two");

    s1.dispose();
    hub.publish(List.of(alert("0xa", "three")));
    assertThat(a1).containsExactly("one");
    assertThat(a2).containsExactly("one", "three");

    s2.dispose();
    s3.dispose();
    assertThat(hub.subscriberCount()).isZero();
    // a new subscriber of an address whose channel was dropped gets a fresh one
    List<String> again = new CopyOnWriteArrayList<>();
    hub.eventsFor("0xa").subscribe(e -> again.add(e.json()));
    hub.publish(List.of(alert("0xa", "four")));
    assertThat(again).containsExactly("four");
  }

  @Test
  void stoppingCompletesEveryStream() {
    StreamHub hub = new StreamHub(new SimpleMeterRegistry());
    boolean[] completed = {false};
    hub.eventsFor("0xa").subscribe(e -> {}, e -> {}, () -> completed[0] = true);
    hub.stop();
    assertThat(completed[0]).isTrue();
    assertThat(hub.subscriberCount()).isZero();
  }
}
