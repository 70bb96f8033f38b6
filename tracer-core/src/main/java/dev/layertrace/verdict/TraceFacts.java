package dev.layertrace.verdict;

import dev.layertrace.model.Finding;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Probe;
import java.util.List;
import java.util.Objects;

/**
 * Everything the verdict engine weighs for one probe: the expected path, whether the send worked,
 * where the request and reply were seen, ARP on the path, kernel drop events, static findings, and
 * netfilter decisions. Observations of other probes are ignored.
 *
 * @param kernelEventsAvailable false when tracefs could not be used: then absence of a drop event
 *     proves nothing and the engine leans on observations and findings
 */
public record TraceFacts(PathGraph graph, Probe probe, SendResult send, List<Observation> observations,
    List<ArpSighting> arp, List<DropEvent> drops, List<Finding> findings, List<RuleDecision> rules,
    boolean kernelEventsAvailable) {
  public TraceFacts {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(probe, "probe");
    send = send == null ? SendResult.SENT : send;
    observations = observations == null ? List.of()
        : observations.stream().filter(o -> o.probeId().equals(probe.id())).toList();
    arp = arp == null ? List.of() : List.copyOf(arp);
    drops = drops == null ? List.of() : List.copyOf(drops);
    findings = findings == null ? List.of() : List.copyOf(findings);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
