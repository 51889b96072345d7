import Foundation
import ReflexCore
import Testing

/// The daemon's count of metrics requested, and the hourly rate as `STATUS=` shows it.
struct MetricsMeterTests {
    @Test func everyFetchAddsWhatItRequested() {
        var meter = MetricsMeter(since: Fixtures.start)
        #expect(meter.requested == 0)
        meter.record(6)
        meter.record(2)
        #expect(meter.requested == 8)
        #expect(meter.since == Fixtures.start)
    }

    @Test func theStatusLineCarriesTheRate() {
        var status = DaemonStatus(updatedAt: Fixtures.start, pid: 1, policies: 5, firing: 0, errors: 0, cycleSeconds: 0.1, safeMode: true,
                                  states: [:], reloadError: nil)
        #expect(status.summary == "5 policies, 0 firing, 0 errors, last cycle 0.1 s, SAFE MODE")
        status.metricsPerHour = 1_240.4
        #expect(status.summary == "5 policies, 0 firing, 0 errors, last cycle 0.1 s, 1,240 metrics/h, SAFE MODE")
    }

    @Test func numbersReadAsPeopleWriteThem() {
        #expect(NumberText.grouped(0) == "0")
        #expect(NumberText.grouped(999) == "999")
        #expect(NumberText.grouped(1_240) == "1,240")
        #expect(NumberText.grouped(224_640) == "224,640")
        #expect(NumberText.grouped(1_234_567.6) == "1,234,568")
        #expect(NumberText.usd(2.2464) == "$2.2464")
        #expect(NumberText.usd(0.6) == "$0.60")
        #expect(NumberText.usd(0.0864) == "$0.0864")
        #expect(NumberText.usd(0.432) == "$0.432")
        #expect(NumberText.usd(1_234.5) == "$1,234.50")
        #expect(NumberText.usd(0) == "$0.00")
    }
}
