import Foundation
import ReflexCore
import Testing

/// The daemon's count of metrics requested and its hourly rate, as `STATUS=` shows it.
struct MetricsMeterTests {
    @Test func theRateIsRightFromTheFirstCycle() {
        let start = Fixtures.start
        var meter = MetricsMeter(since: start)
        #expect(meter.perHour(at: start, interval: .minutes(1)) == 0)
        // Six metrics a minute is 360 an hour, at the first cycle as after an hour.
        meter.record(6)
        #expect(meter.perHour(at: start, interval: .minutes(1)) == 360)
        for minute in 1..<60 {
            meter.record(6)
            #expect(meter.perHour(at: start.addingTimeInterval(Double(minute * 60)), interval: .minutes(1)) == 360)
        }
        #expect(meter.requested == 360)
        // A fetch at start between two boundaries shows as the extra requests it is.
        var early = MetricsMeter(since: start)
        early.record(6)
        early.record(6)
        #expect(early.perHour(at: start.addingTimeInterval(30), interval: .minutes(1)) == 12 * 3600 / 90)
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
