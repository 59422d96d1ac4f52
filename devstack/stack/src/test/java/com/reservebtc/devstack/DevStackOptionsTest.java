package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DevStackOptionsTest {

  @Test
  void freePortsAppliesToEveryServiceToo() {
    DevStackOptions options = DevStackOptions.builder().freePorts().build();

    for (ServiceSpec service : ServiceSpec.all()) {
      assertThat(options.servicePort(service)).as(service.name()).isZero();
    }
  }

  @Test
  void servicesKeepTheGivenOrder() {
    DevStackOptions options =
        DevStackOptions.builder().services(List.of("yield-service", "api-gateway")).build();

    assertThat(options.serviceSpecs()).containsExactly(ServiceSpec.YIELD, ServiceSpec.API_GATEWAY);
  }

  @Test
  void rejectsAServiceListedTwice() {
    assertThatThrownBy(
            () -> DevStackOptions.builder().services(List.of("api-gateway", "api-gateway")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void rejectsAPortForAnUnknownService() {
    assertThatThrownBy(() -> DevStackOptions.builder().servicePort("nope", 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown service nope");
  }

  @Test
  void toStringNeverShowsThePassword() {
    DevStackOptions options =
        DevStackOptions.builder()
            .postgresUrl("jdbc:postgresql://db/x")
            .postgresPassword("s3cret-pw")
            .build();

    assertThat(options.toString()).doesNotContain("s3cret-pw").contains("jdbc:postgresql://db/x");
  }
}
