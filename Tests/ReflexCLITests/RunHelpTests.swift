import Foundation
import Testing

struct RunHelpTests {
    /// `reflex run --help` sends the reader to the README's Configuration section, which exists.
    @Test func pointsToTheConfigurationSection() async throws {
        let outcome = try await ReflexBinary.run(["run", "--help"])
        #expect(outcome.status == 0)
        let help = outcome.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("the section Configuration of README.md"))
        let readme = try String(contentsOf: ReflexBinary.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("\n## Configuration\n"))
    }
}
