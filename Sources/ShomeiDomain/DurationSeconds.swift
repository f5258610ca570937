extension Duration {
    /// The duration in seconds, as the `Date` arithmetic and the metrics want it.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
