package com.reservebtc.yield.finality;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.schemas.avro.Finality;
import org.junit.jupiter.api.Test;

class ChainHeightsTest {

  private final ChainHeights heights = new ChainHeights(31337, 120, 90);

  @Test
  void aBlockAtOrBelowAMarkerTakesItsFinality() {
    assertThat(heights.finalityOf(90, Finality.PENDING)).isEqualTo(Finality.FINALIZED);
    assertThat(heights.finalityOf(91, Finality.PENDING)).isEqualTo(Finality.CONFIRMED);
    assertThat(heights.finalityOf(120, Finality.PENDING)).isEqualTo(Finality.CONFIRMED);
    assertThat(heights.finalityOf(121, Finality.PENDING)).isEqualTo(Finality.PENDING);
  }

  @Test
  void neverLowersWhatTheRecordAlreadySays() {
    assertThat(heights.finalityOf(500, Finality.FINALIZED)).isEqualTo(Finality.FINALIZED);
    assertThat(heights.finalityOf(100, Finality.FINALIZED)).isEqualTo(Finality.FINALIZED);
    assertThat(heights.finalityOf(500, null)).isEqualTo(Finality.PENDING);
  }

  @Test
  void aChainWithoutMarkersSettlesNothing() {
    ChainHeights none = new ChainHeights(31337, -1, -1);
    assertThat(none.finalityOf(0, Finality.PENDING)).isEqualTo(Finality.PENDING);
    assertThat(none.finalityOf(0, Finality.CONFIRMED)).isEqualTo(Finality.CONFIRMED);
  }
}
