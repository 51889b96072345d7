import Foundation
import ReflexCore

/// `ecs_stopped_tasks` series: how many of a service's tasks stopped in each period and match
/// (by reason or exit code). Each fetch lists the service's stopped tasks and describes only
/// those not seen before; a task counts in the period of its `stoppedAt`, or, where that is
/// absent, of the moment Reflex first saw it stopped. Tasks are forgotten two hours after they
/// stopped: ECS lists stopped tasks for about an hour.
public actor ECSStoppedTasksSource: MetricsSource {
    private struct Service: Hashable {
        let cluster: String
        let name: String
    }

    private struct Stop: Sendable {
        let at: Date
        let task: ECSClient.StoppedTask
    }

    private let ecs: ECSClient
    private let now: @Sendable () -> Date
    /// Stops seen, by cluster and task ARN.
    private var seen: [String: [String: Stop]] = [:]

    /// A source reading through `ecs`; `now` is the clock.
    public init(ecs: ECSClient, now: @escaping @Sendable () -> Date = Date.init) {
        self.ecs = ecs
        self.now = now
    }

    public nonisolated func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int { 0 }

    public func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
        // One listing per service, however many of its queries (reasons, exit codes) are read.
        let services = Dictionary(grouping: Set(queries)) { query -> Service? in
            guard case let .ecsStoppedTasks(stops) = query.source else { return nil }
            return Service(cluster: stops.cluster, name: stops.service)
        }
        for case let (service?, queries) in services {
            do {
                try await refresh(cluster: service.cluster, service: service.name)
            } catch {
                let failure = MetricsFailure("ECS stopped tasks of \(service.cluster)/\(service.name) could not be read: \(error)")
                for query in queries { results[query] = .failure(failure) }
                continue
            }
            let stops = (seen[service.cluster] ?? [:]).values.filter { $0.task.group == "service:\(service.name)" }
            for query in queries {
                guard case let .ecsStoppedTasks(match) = query.source else { continue }
                let moments = stops.filter {
                    match.matches(stoppedReason: $0.task.stoppedReason, containerReasons: $0.task.containerReasons, exitCodes: $0.task.exitCodes)
                }.map(\.at)
                results[query] = .success(.counts(of: moments, period: query.period, from: start, to: end))
            }
        }
        return results
    }

    /// Lists the service's stopped tasks and describes the new ones.
    private func refresh(cluster: String, service: String) async throws {
        let arns = try await ecs.stoppedTaskARNs(cluster: cluster, service: service)
        let known = seen[cluster] ?? [:]
        let new = arns.filter { known[$0] == nil }
        let described = try await ecs.describeStoppedTasks(cluster: cluster, arns: new)
        let firstSeen = now()
        var stops = known
        for task in described { stops[task.arn] = Stop(at: task.stoppedAt ?? firstSeen, task: task) }
        let horizon = firstSeen.addingTimeInterval(-2 * 3600)
        seen[cluster] = stops.filter { $0.value.at >= horizon }
    }
}
