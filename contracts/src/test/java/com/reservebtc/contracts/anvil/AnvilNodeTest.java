package com.reservebtc.contracts.anvil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

class AnvilNodeTest {
  @TempDir Path dir;

  @Test
  void devAccountConstantsBelongToTheirKeys() {
    assertThat(Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY).getAddress())
        .isEqualTo(AnvilNode.DEV_ACCOUNT_0_ADDRESS);
    assertThat(Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY).getAddress())
        .isEqualTo(AnvilNode.DEV_ACCOUNT_1_ADDRESS);
    assertThat(Credentials.create(AnvilNode.DEV_ACCOUNT_2_PRIVATE_KEY).getAddress())
        .isEqualTo(AnvilNode.DEV_ACCOUNT_2_ADDRESS);
    assertThat(Credentials.create(AnvilNode.DEV_ACCOUNT_3_PRIVATE_KEY).getAddress())
        .isEqualTo(AnvilNode.DEV_ACCOUNT_3_ADDRESS);
  }

  @Test
  void systemPropertyWinsOverEnvironmentAndNodeModules() throws Exception {
    Path byProperty = executable("by-property/anvil");
    Path byEnv = executable("by-env/anvil");
    Path nodeModules = dir.resolve("nm");
    executable("nm/" + AnvilNode.BINARY_IN_NODE_MODULES);

    Path found =
        AnvilNode.locateBinary(
            Map.of(
                    AnvilNode.BINARY_PROPERTY, byProperty.toString(),
                    AnvilNode.NODE_MODULES_PROPERTY, nodeModules.toString())
                ::get,
            Map.of(AnvilNode.BINARY_ENV, byEnv.toString())::get,
            dir);

    assertThat(found).isEqualTo(byProperty);
  }

  @Test
  void environmentWinsOverNodeModules() throws Exception {
    Path byEnv = executable("by-env/anvil");
    executable("nm/" + AnvilNode.BINARY_IN_NODE_MODULES);

    Path found =
        AnvilNode.locateBinary(
            Map.of(AnvilNode.NODE_MODULES_PROPERTY, dir.resolve("nm").toString())::get,
            Map.of(AnvilNode.BINARY_ENV, byEnv.toString())::get,
            dir);

    assertThat(found).isEqualTo(byEnv);
  }

  @Test
  void nodeModulesPropertyWinsOverTheWorkingDirectory() throws Exception {
    Path inNodeModules = executable("nm/" + AnvilNode.BINARY_IN_NODE_MODULES);
    executable("repo/contracts/node_modules/" + AnvilNode.BINARY_IN_NODE_MODULES);

    Path found =
        AnvilNode.locateBinary(
            Map.of(AnvilNode.NODE_MODULES_PROPERTY, dir.resolve("nm").toString())::get,
            Map.<String, String>of()::get,
            dir.resolve("repo/service/sub"));

    assertThat(found).isEqualTo(inNodeModules);
  }

  @Test
  void walksUpFromTheWorkingDirectoryToFindTheContractsModule() throws Exception {
    Path expected = executable("repo/contracts/node_modules/" + AnvilNode.BINARY_IN_NODE_MODULES);
    Files.createDirectories(dir.resolve("repo/oracle-service/target"));

    Path found =
        AnvilNode.locateBinary(
            Map.<String, String>of()::get,
            Map.<String, String>of()::get,
            dir.resolve("repo/oracle-service/target"));

    assertThat(found).isEqualTo(expected);
  }

  @Test
  void missingConfiguredBinaryIsAnErrorThatSaysHowToInstall() {
    String missing = dir.resolve("nope/anvil").toString();

    assertThatThrownBy(
            () ->
                AnvilNode.locateBinary(
                    Map.of(AnvilNode.BINARY_PROPERTY, missing)::get,
                    Map.<String, String>of()::get,
                    dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("npm ci");
  }

  @Test
  void notFoundAnywhereListsEveryPlaceLookedAt() {
    assertThatThrownBy(
            () ->
                AnvilNode.locateBinary(
                    Map.<String, String>of()::get, Map.<String, String>of()::get, dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(dir.resolve("contracts/node_modules").toString())
        .hasMessageContaining("npm ci");
  }

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> AnvilNode.builder().port(70_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnvilNode.builder().chainId(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnvilNode.builder().blockTime(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Path executable(String relative) throws Exception {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
