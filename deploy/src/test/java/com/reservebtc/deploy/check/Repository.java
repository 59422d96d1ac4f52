package com.reservebtc.deploy.check;

import com.reservebtc.schemas.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Files of this repository the checks compare the manifests with. */
public final class Repository {

  private Repository() {}

  /** The deploy module (Surefire runs tests in the module's directory and says so in basedir). */
  public static Path deploy() {
    Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir.resolve("base")) || !Files.isDirectory(dir.resolve("overlays"))) {
      throw new IllegalStateException(dir + " is not the deploy module (no base/ and overlays/)");
    }
    return dir;
  }

  public static Path root() {
    return deploy().getParent();
  }

  /** A service's own settings file, src/main/resources/application.yml of its module. */
  public static Map<String, Object> applicationYml(Service service) {
    return Yaml.readMap(root().resolve(service.id()).resolve("src/main/resources/application.yml"));
  }

  /** A value of a nested YAML map by dotted path ("spring.kafka.consumer.group-id"), or null. */
  public static Object setting(Map<String, Object> yml, String dotted) {
    Object node = yml;
    for (String key : dotted.split("\\.")) {
      node = Yaml.map(node).get(key);
    }
    return node;
  }
}
