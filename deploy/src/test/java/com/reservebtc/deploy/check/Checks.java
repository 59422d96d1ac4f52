package com.reservebtc.deploy.check;

import java.util.List;
import java.util.Set;

/** Every check of a rendered overlay, in one report. */
public final class Checks {

  private Checks() {}

  /**
   * @param replicas the topics' replication in this overlay
   * @param minInSync the topics' min.insync.replicas in this overlay
   * @param toCreate the Secrets the runbook lists for an operator to create
   */
  public static Report all(
      Schemas schemas,
      List<Manifest> manifests,
      int replicas,
      int minInSync,
      Set<String> toCreate) {
    Report report = new Report();
    for (Manifest m : manifests) {
      schemas.validate(m, report);
    }
    Policies.check(manifests, report);
    References.check(manifests, toCreate, report);
    CatalogueAlignment.check(manifests, replicas, minInSync, report);
    ServiceWiring.check(manifests, report);
    return report;
  }
}
