import ArgumentParser
import Logging
import ReflexAWS

/// The AWS clients for a command, or exit 2 saying what is missing (region, endpoint).
func makeAWSServices(region: String?) throws -> AWSServices {
    do {
        return try AWSServices(region: region, logger: Logger(label: "reflex.aws"))
    } catch {
        printError("reflex: \(error)")
        throw ExitCode.usageError
    }
}
