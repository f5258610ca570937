import CoreMetrics
import Prometheus

/// swift-metrics' factory over the server's own registry, giving each counter and gauge the
/// HELP line Prometheus shows (and `promtool check metrics` asks for). swift-metrics has no
/// place for help text, so the modules that make metrics through it publish theirs beside the
/// names (`OutcomeCounters.help`, `SQLStore.metricsHelp`), and the installation passes them in
/// here. Timers and histograms, which Shomei does not make through swift-metrics, go to
/// swift-prometheus's own factory unchanged.
public struct DescribedMetricsFactory: MetricsFactory {
    private let prometheus: PrometheusMetricsFactory
    private let help: [String: String]

    public init(registry: PrometheusCollectorRegistry, help: [String: String]) {
        prometheus = PrometheusMetricsFactory(registry: registry)
        self.help = help
    }

    private var registry: PrometheusCollectorRegistry { prometheus.registry }

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: help[label] ?? "")
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        dimensions.isEmpty
            ? registry.makeCounter(descriptor: descriptor(label))
            : registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        prometheus.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        aggregate ? prometheus.makeRecorder(label: label, dimensions: dimensions, aggregate: true) : gauge(label, dimensions)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        gauge(label, dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        prometheus.makeTimer(label: label, dimensions: dimensions)
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> Prometheus.Gauge {
        dimensions.isEmpty
            ? registry.makeGauge(descriptor: descriptor(label))
            : registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    public func destroyCounter(_ handler: any CounterHandler) { prometheus.destroyCounter(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { prometheus.destroyFloatingPointCounter(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { prometheus.destroyRecorder(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { prometheus.destroyMeter(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { prometheus.destroyTimer(handler) }
}
