import Foundation
import Logging
import ReflexCore

extension Daemon {
    /// Discovers every fleet when due (at start, after a reload, then every discovery
    /// interval): one discovery per distinct selector, side by side. A failed discovery keeps
    /// the fleet's last known members; changes are recorded and logged.
    func discoverFleetsIfDue(at date: Date) async {
        let selectors = FleetRoster.selectors(of: policySet.policies)
        guard !selectors.isEmpty, nextDiscovery.map({ date >= $0 }) ?? true else { return }
        let results: [TargetSelector: Result<[FleetMember], any Error>]
        if let discovery {
            results = await discovery.candidates(for: selectors)
        } else {
            results = selectors.mapValues { _ in .failure(FleetError.noDiscovery) }
        }
        // A discovery cut short by a stop proves nothing about the fleet.
        guard !stopping, !Task.isCancelled else { return }
        // Memory follows the log: the fleet changes only once its changes are on record. When
        // the log refuses them, the old fleet is kept and discovery is tried again next cycle.
        var updated = roster
        let changes = updated.apply(results)
        let records = fleetRecords(changes, at: date)
        if !records.isEmpty {
            do {
                _ = try ledger.append(contentsOf: records)
            } catch {
                noteLogRefused(error)
                logger.error("cannot record fleet changes; the fleet stays as it was until the log takes writes: \(error)")
                return
            }
        }
        nextDiscovery = date.addingTimeInterval(Double(discoveryInterval.seconds))
        roster = updated
        let (fresh, skipped) = roster.instances(of: policySet.policies)
        instances = fresh
        // A removed instance's state goes with it.
        for case let .removed(selector, members) in changes {
            for policy in policySet.policies where policy.selectors.contains(selector) {
                for member in members { states[Policy.instanceKey(policy: policy.name, target: member.target)] = nil }
            }
        }
        for record in records {
            let level: Logger.Level = record.reason == "discovery-failed" ? .error : .notice
            logger.log(level: level, "\(record.policy ?? ""): \(record.detail ?? "")", metadata: ["policy": "\(record.policy ?? "")"])
        }
        for (policy, member) in skipped where reportedSkips.insert("\(policy) \(member.target.id)").inserted {
            logger.warning("\(policy) cannot judge \(member.target.id): it lacks a variable the policy's dimensions use (a service without a target group?)")
        }
    }

    /// The decisions recording fleet changes, one set for every policy that uses the selector.
    private func fleetRecords(_ changes: [FleetRoster.Change], at date: Date) -> [DecisionRecord] {
        var records: [DecisionRecord] = []
        for change in changes {
            for policy in policySet.policies where policy.selectors.contains(change.selector) {
                func fleetRecord(_ reason: String, target: String? = nil, detail: String, outcome: String) -> DecisionRecord {
                    DecisionRecord(at: date, kind: .fleetChanged, policy: policy.name, policyHash: policySet.hashes[policy.name], target: target,
                                   reason: reason, detail: detail, mode: policy.mode.rawValue, outcome: outcome)
                }
                switch change {
                case let .added(selector, members):
                    records.append(fleetRecord("instance-added", detail: "\(members.count) instance(s) added by \(selector): \(Self.list(members))",
                                               outcome: "added"))
                case let .removed(selector, members):
                    for member in members {
                        records.append(fleetRecord("instance-removed", target: member.target.id,
                                                   detail: "\(member.target.id) no longer matches \(selector); dropped", outcome: "removed"))
                    }
                case let .failed(selector, reason, kept):
                    records.append(fleetRecord("discovery-failed",
                                               detail: "discovery of \(selector) failed: \(reason); keeping the last \(kept) known instance(s)",
                                               outcome: "kept"))
                case let .recovered(selector):
                    records.append(fleetRecord("discovery-recovered", detail: "discovery of \(selector) works again", outcome: "recovered"))
                }
            }
        }
        return records
    }

    /// The selectors whose last discovery failed, with why, for STATUS.
    var discoveryErrors: [String]? {
        let failures = roster.failures.map { "\($0.key): \($0.value)" }.sorted()
        return failures.isEmpty ? nil : failures
    }

    /// Up to ten names, then how many more.
    private static func list(_ members: [FleetMember]) -> String {
        let names = members.prefix(10).map(\.target.id).joined(separator: ", ")
        return members.count > 10 ? names + " and \(members.count - 10) more" : names
    }
}

/// Why a fleet could not be discovered.
enum FleetError: Error, CustomStringConvertible {
    /// The daemon was started without a discovery adapter.
    case noDiscovery

    var description: String { "no resource discovery is configured" }
}

extension FleetRoster.Change {
    /// The selector the change is about.
    var selector: TargetSelector {
        switch self {
        case let .added(selector, _), let .removed(selector, _), let .failed(selector, _, _), let .recovered(selector): selector
        }
    }
}
