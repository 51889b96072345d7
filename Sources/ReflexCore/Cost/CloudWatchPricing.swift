/// The CloudWatch prices that reading metrics incurs (public pricing, us-east-1), and the
/// 30-day month AWS quotes them for.
public struct CloudWatchPricing: Hashable, Sendable {
    /// USD per 1,000 metrics requested with GetMetricData. Each query of a call is a metric
    /// requested, whatever its time range or the number of datapoints it returns.
    public let usdPerThousandMetrics: Double
    /// USD per standard-resolution alarm metric-month (a period of a minute or more).
    public let usdPerAlarm: Double
    /// USD per high-resolution alarm metric-month (a period under a minute).
    public let usdPerHighResolutionAlarm: Double

    /// Prices in USD.
    public init(usdPerThousandMetrics: Double, usdPerAlarm: Double, usdPerHighResolutionAlarm: Double) {
        self.usdPerThousandMetrics = usdPerThousandMetrics
        self.usdPerAlarm = usdPerAlarm
        self.usdPerHighResolutionAlarm = usdPerHighResolutionAlarm
    }

    /// The public prices: $0.01 per 1,000 metrics requested, $0.10 per alarm ($0.30 at high resolution).
    public static let standard = CloudWatchPricing(usdPerThousandMetrics: 0.01, usdPerAlarm: 0.10, usdPerHighResolutionAlarm: 0.30)

    /// The seconds of the 30-day month prices are quoted for.
    public static let secondsPerMonth = 2_592_000

    /// What requesting `metrics` metrics costs.
    public func usd(metrics: Double) -> Double {
        metrics * usdPerThousandMetrics / 1000
    }

    /// What an alarm on a series of `period` costs a month.
    public func alarmUSD(period: TimeSpan) -> Double {
        period.seconds < 60 ? usdPerHighResolutionAlarm : usdPerAlarm
    }

    /// How many times a month a series is requested once every `interval`.
    public static func requestsPerMonth(every interval: TimeSpan) -> Double {
        Double(secondsPerMonth) / Double(interval.seconds)
    }
}
