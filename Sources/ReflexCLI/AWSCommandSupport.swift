import ArgumentParser
import Logging
import ReflexAWS
import ReflexHTTP
import ReflexProbes
import ReflexRuntime

/// The AWS clients for a command, or exit 2 saying what is missing (region, endpoint).
func makeAWSServices(region: String?) throws -> AWSServices {
    do {
        return try AWSServices(region: region, logger: Logger(label: "reflex.aws"))
    } catch {
        printError("reflex: \(error)")
        throw ExitCode.usageError
    }
}

/// Every series source a command reads, through `services`: CloudWatch metrics, ECS task
/// stops, CloudWatch Logs events and HTTP probes.
func seriesSources(_ services: AWSServices) -> SeriesSources {
    SeriesSources([
        .cloudWatch: CloudWatchMetricsSource(client: services.cloudWatch),
        .ecsStoppedTasks: ECSStoppedTasksSource(ecs: services.ecs),
        .logEvents: LogEventsSource(logs: services.logs),
        .httpProbe: HTTPProbeSource(http: CurlHTTPClient()),
    ])
}
